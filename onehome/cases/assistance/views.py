"""Pages of assistance: a service requested from the case page and each decision on it
(approve, reject, deliver), and the stock page of the user's centre: what it holds per
item, and receiving a delivery. Stock holds no personal data; only the centre's own staff
may add to it (`stock.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import no_personal_data, personal_data
from onehome.cases.assistance import services, stock
from onehome.cases.assistance.forms import ReceiveStockForm, ServiceForm
from onehome.cases.case_access import case_view
from onehome.cases.form_base import apply_service_error
from onehome.cases.models import Case
from onehome.cases.service_messages import back_to_case, service_errors_shown
from onehome.cases.visibility.selectors import can_work_on
from onehome.errors import NotInScopeError, ValidationError


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


@personal_data
@login_required
@require_POST
@case_view
def case_service(request, case: Case):
    form = ServiceForm(request.POST)
    with service_errors_shown(request):
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        d = form.cleaned_data
        service = services.request_service(
            actor=request.user,
            case_id=case.pk,
            kind=d["kind"],
            description=d.get("description", ""),
            amount=d.get("amount"),
            item_id=d["item"].pk if d.get("item") else None,
            quantity=d.get("quantity"),
            provider_id=d["provider"].pk if d.get("provider") else None,
        )
        names = {"kind": service.get_kind_display(), "number": case.number}
        if service.status == "awaiting_approval":
            messages.info(
                request,
                _(
                    "%(kind)s for case %(number)s is above the ceiling: the request waits "
                    "for a supervisor."
                )
                % names,
            )
        else:
            messages.success(request, _("%(kind)s recorded on case %(number)s.") % names)
    return redirect(reverse("cases:case", args=[case.pk]) + "#services")


@personal_data
@login_required
@require_POST
def service_decide(request, pk: int, decision: str):
    steps = {
        "approve": services.approve_service,
        "reject": services.reject_service,
        "deliver": services.deliver_service,
    }
    if decision not in steps:
        raise Http404
    text = (request.POST.get("reason") or "").strip()
    kwargs = {"note": text} if decision == "deliver" else {"reason": text}
    with service_errors_shown(request):
        service = steps[decision](
            actor=request.user, service_id=pk, version=request.POST.get("version"), **kwargs
        )
        names = {"kind": service.get_kind_display(), "number": service.case.number}
        done = {
            "approve": _("%(kind)s for case %(number)s approved."),
            "reject": _("%(kind)s for case %(number)s rejected."),
            "deliver": _("%(kind)s for case %(number)s marked delivered."),
        }[decision]
        messages.success(request, done % names)
        return back_to_case(service.case_id)
    case_id = request.POST.get("case")
    return back_to_case(int(case_id)) if (case_id or "").isdigit() else redirect("cases:my_work")
