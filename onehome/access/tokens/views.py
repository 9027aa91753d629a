"""The "API tokens" page: the signed-in user's own tokens (prefix, issued, expiry), each with
a button that revokes it, and one that revokes them all. A token itself is never shown
here: only the answer of `POST /api/token/` ever holds it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from knox.settings import CONSTANTS

from onehome.access.policy import no_personal_data

from . import selectors, services

PREFIX_MAX = CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH


@no_personal_data
@login_required
@require_http_methods(["GET", "POST"])
def my_tokens(request):
    user = request.user
    if request.method == "POST":
        if request.POST.get("all"):
            revoked = services.revoke_all(user=user)
            if revoked:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d token revoked: it no longer works.",
                        "%(n)d tokens revoked: they no longer work.",
                        len(revoked),
                    )
                    % {"n": len(revoked)},
                )
            else:
                messages.info(request, _("You have no API tokens. Nothing was changed."))
            return redirect("tokens:mine")
        prefix = request.POST.get("token", "")[:PREFIX_MAX]
        if prefix and services.revoke(user=user, prefix=prefix):
            messages.success(
                request, _("Token %(prefix)s… revoked: it no longer works.") % {"prefix": prefix}
            )
        else:
            messages.error(
                request,
                _("That token does not exist any more (revoked or expired). Nothing was changed."),
            )
        return redirect("tokens:mine")
    now = timezone.now()
    tokens = [
        {**row, "expired": row["expiry"] is not None and row["expiry"] < now}
        for row in selectors.tokens_of(user)
    ]
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    return render(
        request,
        "access/tokens/mine.html",
        {"tokens": tokens, "ttl_hours": round(ttl.total_seconds() / 3600)},
    )
