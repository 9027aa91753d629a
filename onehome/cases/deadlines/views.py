"""Pages (POST only) that pause a case's deadline while waiting on the family and resume
it. Each calls one service and comes back to the case page."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data
from onehome.cases.case_access import case_view
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.forms import PauseForm
from onehome.cases.form_base import VersionForm
from onehome.cases.models import Case
from onehome.cases.service_messages import post_on_case


@personal_data
@login_required
@require_POST
@case_view
def case_pause(request, case: Case):
    def call(d):
        sla.pause(actor=request.user, case_id=case.pk, reason=d["reason"], version=d["version"])

    done = _("Deadline paused while waiting on the family.")
    form = PauseForm(request.POST)
    return post_on_case(request, case, form, call, done=done, anchor="deadline")


@personal_data
@login_required
@require_POST
@case_view
def case_resume(request, case: Case):
    def call(d):
        sla.resume(actor=request.user, case_id=case.pk, version=d["version"])

    done = _("Deadline running again.")
    form = VersionForm(request.POST)
    return post_on_case(request, case, form, call, done=done, anchor="deadline")
