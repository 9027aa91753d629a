"""Intake pages: the hotline operator's form (with its htmx helpers) and the public
self-report and tracking pages under /report/.

The form's hidden idempotency key makes a double click or a resent POST land on the same
report. The public pages are rate-limited per IP in Django's cache and show a reporter
the status of their report and nothing else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from onehome.access.network import client_ip
from onehome.access.policy import personal_data, public
from onehome.access.roles import Action, may
from onehome.cases.form_base import apply_service_error
from onehome.cases.intake import selectors, services
from onehome.cases.intake.forms import (
    PARTY_ROWS,
    IntakeForm,
    PartyFormSet,
    PublicReportForm,
    TrackForm,
    sub_choices_of,
)
from onehome.cases.models import Channel, PartyRole
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.selectors import subdistricts_matching
from onehome.registry import selectors as registry_selectors

SELF_REPORTS_PER_HOUR = 5
TRACKS_PER_HOUR = 30


def may_take_reports(user) -> bool:
    return may(user, Action.TAKE_REPORTS)


def _report_args(form) -> dict:
    d = form.cleaned_data
    return {
        "subdistrict": d["subdistrict"],
        "address": d.get("address", ""),
        "category": d.get("category", ""),
        "subcategory": d.get("subcategory", ""),
        "summary": d.get("summary", ""),
        "reporter_anonymous": d.get("reporter_anonymous", False),
        "reporter_name": d.get("reporter_name", ""),
        "reporter_phone": d.get("reporter_phone", ""),
        "idempotency_key": d["idempotency_key"],
    }


@personal_data
@login_required
def hotline_intake(request):
    user = request.user
    if not may_take_reports(user):
        raise Http404
    form = IntakeForm(request.POST or None)
    parties = PartyFormSet(request.POST or None, initial=None if request.POST else PARTY_ROWS)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        d = form.cleaned_data
        try:
            report = services.create_report(
                actor=user,
                channel=d["channel"],
                call_type=d["call_type"],
                urgency=d["urgency"],
                village=d.get("village") or None,
                risks=d.get("risks", []),
                reporter_relation=d.get("reporter_relation", ""),
                occurred_at=d.get("occurred_at"),
                close_enquiry=d.get("close_enquiry", False),
                parties=[p for p in (f.party() for f in parties.forms) if p],
                **_report_args(form),
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        except NotInScopeError:
            form.add_error("subdistrict", _("This sub-district is outside your area of work."))
        else:
            messages.success(
                request,
                _("Report saved. Tracking code for the caller: %(ref)s")
                % {"ref": report.reference},
            )
            return redirect("cases:report", pk=report.pk)
    context = {
        "form": form,
        "parties": parties,
        "victims": [f for f in parties.forms if _role(f) != PartyRole.ALLEGED_OFFENDER],
        "offenders": [f for f in parties.forms if _role(f) == PartyRole.ALLEGED_OFFENDER],
    }
    return render(request, "cases/intake.html", context)


def _role(form) -> str:
    return form["role"].value() or ""


@personal_data
@login_required
def intake_earlier(request):
    """The warning panel: earlier reports about the same registry people or address."""
    if not may_take_reports(request.user):
        raise Http404
    p = request.GET
    person_ids = []
    for key, value in p.items():
        if key.endswith("person_id") and value.strip().isdigit():
            person_ids.append(int(value))
    code = (p.get("subdistrict") or "").strip().split(" ")[0]
    found = selectors.earlier_reports(
        request.user, person_ids=person_ids, subdistrict=code or None, address=p.get("address", "")
    )
    return render(request, "cases/_earlier.html", {"earlier": found})


@personal_data
@login_required
def intake_people(request):
    """Registry people matching a name or ID, to link a party to its record."""
    if not may_take_reports(request.user):
        raise Http404
    q = (request.GET.get("q") or "").strip()
    people = registry_selectors.search_people(request.user, q, limit=8) if len(q) >= 2 else []
    return render(
        request, "cases/_people_pick.html", {"people": people, "target": request.GET.get("target")}
    )


@public
def subdistrict_options(request):
    """<option>s for the sub-district datalist (names and codes are public)."""
    q = (request.GET.get("q") or request.GET.get("subdistrict") or "").strip()
    rows = subdistricts_matching(q, limit=20) if len(q) >= 2 else []
    return render(request, "cases/_subdistrict_options.html", {"rows": rows})


@public
def subproblem_options(request):
    """<option>s of the sub-problem select for the issue chosen (the catalogue is public)."""
    choices = sub_choices_of(request.GET.get("category") or "")
    flat = [(v, label) for v, label in choices if not isinstance(label, list | tuple)]
    groups = [(name, subs) for name, subs in choices if isinstance(subs, list | tuple)]
    return render(request, "cases/_subproblem_options.html", {"options": flat, "groups": groups})


def _client_ip(request) -> str:
    return client_ip(request) or "unknown"


def _over_limit(request, kind: str, per_hour: int) -> bool:
    """Count this request against the IP's hourly allowance; True once it is used up."""
    key = f"onehome:{kind}:{_client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        used = 1
    return used > per_hour


@public
def public_report(request):
    form = PublicReportForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request, "self-report", SELF_REPORTS_PER_HOUR):
            message = _(
                "Too many reports from this connection in the last hour. Please call the "
                "1300 hotline (free, 24 hours) or try again later."
            )
            return render(
                request, "cases/public_report.html", {"form": form, "limited": message}, status=429
            )
        if form.is_valid() and not form.cleaned_data.get("website"):
            d = form.cleaned_data
            parties = []
            if d.get("person_name") or d.get("person_age") is not None:
                parties.append(
                    {
                        "role": PartyRole.VICTIM,
                        "name": d.get("person_name", ""),
                        "age": d.get("person_age"),
                    }
                )
            try:
                report = services.create_report(
                    actor=None,
                    channel=Channel.WEB,
                    call_type=d["call_type"],
                    parties=parties,
                    **_report_args(form),
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                return render(request, "cases/public_sent.html", {"reference": report.reference})
    return render(request, "cases/public_report.html", {"form": form})


@public
def public_track(request):
    """A reporter's view of their report: its status only, never a name or an offender."""
    form = TrackForm(request.GET or None)
    found = None
    searched = False
    if form.is_valid():
        if _over_limit(request, "track", TRACKS_PER_HOUR):
            message = _("Too many look-ups from this connection. Try again in an hour.")
            return render(
                request, "cases/public_track.html", {"form": form, "limited": message}, status=429
            )
        searched = True
        found = selectors.report_status_for_reporter(form.cleaned_data["reference"])
    return render(
        request, "cases/public_track.html", {"form": form, "found": found, "searched": searched}
    )
