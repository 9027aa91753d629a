"""The break-the-glass page's POST: a stated reason opens a sensitive case for a while; and
the case page's POST that lowers a case's sensitivity (a supervisor's recorded decision)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data
from onehome.cases.case_access import case_view
from onehome.cases.models import Case
from onehome.cases.service_messages import back_to_case, post_on_case
from onehome.cases.visibility import glass, sensitivity
from onehome.cases.visibility.forms import GlassForm, LowerSensitivityForm
from onehome.errors import NotInScopeError, ValidationError


@personal_data
@login_required
@require_POST
def case_glass(request, pk: int):
    # The service answers scope first (404), so no check is needed before the form.
    form = GlassForm(request.POST)
    form.is_valid()
    try:
        glass.break_glass(
            actor=request.user, case_id=pk, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "visible":  # already open to them
            return back_to_case(pk)
        for m in exc.messages:
            form.add_error("reason", m)
        return render(request, "cases/glass.html", {"pk": pk, "form": form}, status=400)
    except NotInScopeError:
        raise Http404 from None
    return back_to_case(pk)


@personal_data
@login_required
@require_POST
@case_view
def case_lower_sensitivity(request, case: Case):
    def call(d):
        sensitivity.lower_sensitivity(
            actor=request.user, case_id=case.pk, reason=d["reason"], version=d["version"]
        )

    form = LowerSensitivityForm(request.POST)
    done = _("The case is no longer sensitive.")
    return post_on_case(request, case, form, call, done=done, anchor="")
