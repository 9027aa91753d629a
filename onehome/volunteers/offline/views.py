"""Pages of the offline room: the phone app's shell, its manifest and service worker, and
the review queue where centre staff settle conflicts.

The app page holds no personal data: the households come from the package (API) into
the phone's IndexedDB, so the cached shell is the same for every volunteer. The service
worker is served from /volunteers/app/sw.js, so its scope (/volunteers/app/) is its own
folder, and never cached for long: a new release reaches the phones at their next visit."""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import no_personal_data, personal_data, public
from onehome.access.roles import Action, may
from onehome.cases.models import Urgency
from onehome.core import thai_dates
from onehome.errors import ValidationError
from onehome.registry.models import Disability
from onehome.volunteers.models import HelpKind

from . import review

ICONS = ("192", "512")


def app_texts() -> dict:
    """The words the app's script shows, in the page's language (the script has none)."""
    thai = thai_dates.is_thai()
    return {
        "months": list(thai_dates.THAI_MONTHS if thai else thai_dates.ENGLISH_MONTHS),
        "era": 543 if thai else 0,
        "never": _("never"),
        "online": _("Online"),
        "offline": _("Offline"),
        "house_no": _("House no."),
        "due": _("due"),
        "no_goals": _("No open goals."),
        "visit_due": _("Visit due:"),
        "last_visit": _("Last visit:"),
        "open_goals": _("Open goals"),
        "record_visit": _("Record a visit"),
        "ask_help": _("Ask for help"),
        "updated": _("Households updated"),
        "no_package": _("Connect to the network once to load your households."),
        "kinds": {
            "visit": _("Home visit"),
            "help_request": _("Help request"),
            "household_edit": _("Household details"),
            "member_edit": _("Member details"),
        },
        "discard": _("Discard"),
        "signed_out": _("Your sign-in has ended: sign in again to load your households."),
        "synced": _("Sent: %(n)s."),
        "synced_with_conflicts": _(
            "Sent. Some details were also changed at the centre: the centre will choose."
        ),
        "sending": _("Saved. Sending…"),
        "saved_offline": _("Saved on this phone. It will be sent when the network returns."),
        "yes": _("Yes"),
        "no": _("No"),
        "bad_date": _(
            "Enter the visit date as day/month/year in the Buddhist era, not in the future."
        ),
        "bad_amount": _("Enter the amount in baht, e.g. 1500 or 1500.50."),
        "need_summary": _("Say what happened and what is needed."),
        "need_answer": _("Answer at least one question of the record book."),
        "edit_details": _("Correct the details"),
        "phone": _("Phone"),
        "line_id": _("LINE ID"),
        "disability": _("Disability"),
        "none": _("None"),
        "nothing_changed": _("Nothing was changed."),
        "disabilities": [[value, str(label)] for value, label in Disability.choices],
        "confirm_signout": _(
            "%(n)s items have not been sent yet and will be lost. Sign out anyway?"
        ),
    }


@no_personal_data
@login_required
def app_page(request):
    if not may(request.user, Action.USE_VOLUNTEER_APP):
        raise Http404
    labels = {"help_kinds": dict(HelpKind.choices), "urgencies": dict(Urgency.choices)}
    response = render(
        request, "volunteers/offline/app.html", {"labels": labels, "texts": app_texts()}
    )
    patch_cache_control(response, no_cache=True, private=True)
    return response


@public
def manifest(request):
    """The web app manifest (fetched without cookies, so public; it names no one)."""
    data = {
        "name": "OneHome อพม.",
        "short_name": "อพม.",
        "description": "เยี่ยมบ้าน บันทึกสมุดพกครอบครัว และขอความช่วยเหลือ แม้ไม่มีสัญญาณ",
        "lang": "th",
        "start_url": "/volunteers/app/",
        "scope": "/volunteers/app/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {
                "src": static(f"volunteers/offline/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICONS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, max_age=3600)
    return response


@public
def service_worker(request):
    """The service worker, listing the shell's files by their hashed names: a release
    changes its bytes, so the browser installs the new one and drops the old cache."""
    shell = [
        "/volunteers/app/",
        static("vendor/bootstrap/css/bootstrap.min.css"),
        static("onehome/app.css"),
        static("volunteers/offline/app.js"),
        static("volunteers/offline/store.js"),
        static("volunteers/offline/app.css"),
        *(static(f"volunteers/offline/icon-{size}.png") for size in ICONS),
    ]
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    body = render_to_string(
        "volunteers/offline/sw.js", {"shell_json": json.dumps(shell), "version": version}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True, max_age=0)
    response["Service-Worker-Allowed"] = "/volunteers/app/"
    return response


@personal_data
@login_required
def review_list(request):
    if not may(request.user, Action.REVIEW_SYNC_CONFLICTS):
        raise Http404
    rows = review.conflicts_for_page(request.user)
    return render(request, "volunteers/offline/review.html", {"rows": rows})


@personal_data
@login_required
@require_POST
def review_resolve(request, pk: int):
    if not may(request.user, Action.REVIEW_SYNC_CONFLICTS):
        raise Http404
    choice = request.POST.get("choice", "")
    try:
        conflict = review.resolve_conflict(
            actor=request.user,
            conflict_id=pk,
            choice=choice,
            other=request.POST.get("other"),
            # Sent only when the page showed a later value and the reviewer ticked to replace it.
            replaces=request.POST.get("replaces"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(
            request,
            _("Kept “%(value)s” for %(field)s.")
            % {
                "value": review.shown(conflict.target, conflict.field, conflict.chosen),
                "field": review.field_label(conflict.target, conflict.field),
            },
        )
    return redirect("volunteers:offline_review")
