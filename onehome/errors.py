"""Errors a user can cause. Services raise these; views and the API turn them into messages.

Each carries a message in the user's language (lazy translation) and changes nothing:
services raise before writing or inside a transaction that is rolled back.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "ValidationError",
    "StaleVersionError",
    "DuplicateError",
    "LikelyDuplicatesError",
    "NotInScopeError",
    "RequestKeyReusedError",
]


class StaleVersionError(Exception):
    """The record changed since the user loaded it; their write would overwrite someone else's."""

    def __init__(self, *, current_version: int, given_version: int | None) -> None:
        self.current_version = current_version
        self.given_version = given_version
        super().__init__(
            _(
                "This record was changed by someone else since you opened it "
                "(your version %(given)s, current %(current)s). Reload it and try again."
            )
            % {"given": given_version, "current": current_version}
        )


class DuplicateError(Exception):
    """A record that must be unique already exists; `existing` is the one to use instead."""

    def __init__(self, message: str, *, existing: object) -> None:
        self.existing = existing
        super().__init__(message)


class LikelyDuplicatesError(Exception):
    """Similar records exist; the user must look at them and confirm before creating."""

    def __init__(self, candidates: list) -> None:
        self.candidates = candidates
        super().__init__(
            _("%(n)d similar people are already registered. Check them before creating a new one.")
            % {"n": len(candidates)}
        )


class NotInScopeError(Exception):
    """The record does not exist for this user (outside their area or role). Shown as 404."""


class RequestKeyReusedError(ValidationError):
    """A request key (`Idempotency-Key`) sent again with a different request: nothing is
    saved. A ValidationError, so pages show it as one; the API answers 422."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="idempotency_key_reused")
