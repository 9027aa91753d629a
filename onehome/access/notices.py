"""The notices a user gets when their account or API tokens change: what changed, by whom and
when, in Thai and then English (one inbox row carries both: a notice about an account goes
out by every sender, and the reader's language is not known there).

Called by the receivers in `user_changes` and by `tokens.services`. Token values never appear
here: a token is named by its prefix, the first characters that its owner also sees.
"""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onehome.notifications.services import notify
from onehome.web.templatetags.thai_dates import thai_date

from .models import Role, ScopeLevel, User

KIND = "account"


def _both(make: Callable[[], str], joiner: str = "\n\n") -> str:
    """`make()` in Thai, then in English (once when they are the same)."""
    texts = []
    for language in ("th", "en"):
        with translation.override(language):
            text = make()
        if text not in texts:
            texts.append(text)
    return joiner.join(texts)


def _who(actor: User | None) -> str:
    if actor is None:
        return _("a system command")
    return actor.get_full_name() or actor.get_username()


def _label(field: str) -> str:
    return {
        "roles": _("roles"),
        "scope_level": _("area scope level"),
        "scope_code": _("area scope code"),
        "organisation": _("organisation"),
        "is_active": _("account active"),
        "is_staff": _("staff (admin site)"),
        "is_superuser": _("superuser"),
        "password": _("password"),
    }.get(field, field)


def _value(field: str, value: object, organisations: dict[int, str]) -> str:
    if field == "roles":
        labels = {r.value: str(r.label) for r in Role}
        return ", ".join(labels.get(r, str(r)) for r in value or []) or "–"
    if field == "scope_level":
        return str(dict(ScopeLevel.choices).get(value, value or "–"))
    if field == "organisation":
        return organisations.get(value, "–") if value else "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "–"


def _send(user: User, title: Callable[[], str], body: Callable[[], str]) -> None:
    notify(users=[user], kind=KIND, title=_both(title, " / "), body=_both(body))


def account_changed(
    *, user: User, actor: User | None, before: dict, after: dict, tokens_revoked: int = 0
) -> None:
    """The fields of `before`/`after` that changed on `user`'s account (a password shows as
    changed, never its value)."""
    at = timezone.now()
    org_ids = [v for k in ("organisation",) for v in (before.get(k), after.get(k)) if v]
    organisations = (
        dict(User.organisation.field.related_model._base_manager.filter(pk__in=org_ids)
             .values_list("pk", "name_th"))
        if org_ids else {}
    )  # fmt: skip

    def body() -> str:
        lines = [
            _("Your OneHome account was changed by %(who)s on %(when)s:")
            % {"who": _who(actor), "when": thai_date(at, True)}
        ]
        for field in after:
            if field == "password":
                lines.append("• " + _("password: changed"))
                continue
            lines.append(
                f"• {_label(field)}: {_value(field, before.get(field), organisations)} → "
                f"{_value(field, after.get(field), organisations)}"
            )
        if tokens_revoked:
            lines.append(
                translation.ngettext(
                    "Your %(n)d API token was revoked: sign in to the API again.",
                    "Your %(n)d API tokens were revoked: sign in to the API again.",
                    tokens_revoked,
                )
                % {"n": tokens_revoked}
            )
        lines.append(_("If you did not expect this change, tell your supervisor at once."))
        return "\n".join(lines)

    _send(user, lambda: _("Your account was changed"), body)


def token_created(*, user: User, actor: User | None, prefix: str, expiry: dt.datetime | None):
    at = timezone.now()

    def body() -> str:
        text = _(
            "A new API token (%(prefix)s…) was issued for your account by %(who)s on "
            "%(when)s. It expires on %(expiry)s."
        ) % {
            "prefix": prefix,
            "who": _who(actor),
            "when": thai_date(at, True),
            "expiry": thai_date(expiry, True) if expiry else "–",
        }
        return (
            text
            + " "
            + _("If this was not you, revoke it on your API tokens page and change your password.")
        )

    _send(user, lambda: _("New API token"), body)


def tokens_revoked(*, user: User, actor: User | None, prefixes: list[str]) -> None:
    at = timezone.now()

    def body() -> str:
        return translation.ngettext(
            "%(n)d API token of your account (%(prefixes)s) was revoked by %(who)s on %(when)s.",
            "%(n)d API tokens of your account (%(prefixes)s) were revoked by %(who)s on %(when)s.",
            len(prefixes),
        ) % {
            "n": len(prefixes),
            "prefixes": ", ".join(f"{p}…" for p in prefixes[:10]),
            "who": _who(actor),
            "when": thai_date(at, True),
        }

    _send(user, lambda: _("API token revoked"), body)
