"""The stock page of the user's centre: what it holds per item, and receiving a delivery.
Stock holds no personal data; only the centre's own staff may add to it (`stock.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from onehome.access.policy import no_personal_data
from onehome.errors import NotInScopeError, ValidationError

from . import stock
from .forms import apply_service_error
from .visibility import can_work_on
from .work_forms import ReceiveStockForm


@no_personal_data
@login_required
def stock_page(request):
    user = request.user
    if not (can_work_on(user) and user.organisation_id):
        raise Http404
    form = ReceiveStockForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                held = stock.receive_stock(
                    actor=user,
                    organisation_id=user.organisation_id,
                    item_id=d["item"].pk,
                    quantity=d["quantity"],
                    note=d.get("note", ""),
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            except NotInScopeError:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("Received. %(item)s: %(n)d %(unit)s in stock.")
                    % {"item": d["item"].name_th, "n": held.quantity, "unit": d["item"].unit},
                )
                return redirect("cases:stock")
        status = 400
    rows = list(stock.stock_of(organisation_id=user.organisation_id).order_by("item__name_th"))
    context = {"rows": rows, "form": form, "organisation": user.organisation}
    return render(request, "cases/stock.html", context, status=status)
