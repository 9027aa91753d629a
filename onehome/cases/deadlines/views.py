"""Pages (POST only) that pause a case's deadline while waiting on the family and resume
it. Each calls one service and comes back to the case page."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.forms import PauseForm
from onehome.cases.form_base import VersionForm
from onehome.cases.service_messages import post_on_case


@personal_data
@login_required
@require_POST
def case_pause(request, pk: int):
    def call(d):
        sla.pause(actor=request.user, case_id=pk, reason=d["reason"], version=d["version"])

    done = _("Deadline paused while waiting on the family.")
    return post_on_case(request, pk, PauseForm(request.POST), call, done=done, anchor="deadline")


@personal_data
@login_required
@require_POST
def case_resume(request, pk: int):
    def call(d):
        sla.resume(actor=request.user, case_id=pk, version=d["version"])

    done = _("Deadline running again.")
    return post_on_case(request, pk, VersionForm(request.POST), call, done=done, anchor="deadline")
