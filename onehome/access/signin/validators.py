"""Password rules (settings.AUTH_PASSWORD_VALIDATORS), with Thai and English messages.

Django's three checks (too like the user's name, too short, too common) with messages in
the user's language, and four for what Thai users are tempted to use and an attacker tries
first: the username, a national ID (13 digits, with or without dashes), a date (a birthday
in the Buddhist or Christian era, with or without separators) and a short number.
Every form that sets a password (the admin's, Django's password change) and
`validate_password` run them; `set_password` itself does not check.
"""

import datetime as dt
import re
from difflib import SequenceMatcher

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _folded(text: str) -> str:
    """Lower case, letters and digits only: 'Social_Worker' → 'socialworker'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class SimilarToNameValidator(django_validators.UserAttributeSimilarityValidator):
    """Django's check against the first name, last name and e-mail address."""

    def __init__(self, user_attributes=("first_name", "last_name", "email"), max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def get_error_message(self):
        return _("The password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("The password must not look like your name or e-mail address.")


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return _("This password is too short: it must have at least %(min_length)d characters.")

    def get_help_text(self):
        return _("The password must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common: attackers try it first.")

    def get_help_text(self):
        return _("The password must not be a commonly used one.")


class NotTheUsernameValidator:
    """Not the username, not containing it or contained in it, and not close to it
    ('social_worker', 'Social-Worker1', 'socialworker', 'rekrow_laicos' are refused)."""

    max_similarity = 0.7

    def validate(self, password, user=None):
        username = _folded(getattr(user, "username", "") or "")
        if not username:
            return
        folded = _folded(password)
        close = (
            (len(username) >= 3 and username in folded)
            or (len(folded) >= 3 and folded in username)
            or folded[::-1] == username
            or SequenceMatcher(a=folded, b=username).ratio() >= self.max_similarity
        )
        if close:
            raise ValidationError(
                _("The password must not be your username or look like it."),
                code="password_like_username",
            )

    def get_help_text(self):
        return _("The password must not be your username or look like it.")


_SEPARATORS = re.compile(r"[\s\-./]")


class NotANationalIdValidator:
    """No 13-digit number (a Thai national ID, with or without dashes or spaces)."""

    def validate(self, password, user=None):
        if re.search(r"\d{13}", _SEPARATORS.sub("", password)):
            raise ValidationError(
                _("The password must not contain a national ID number or another 13-digit number."),
                code="password_national_id",
            )

    def get_help_text(self):
        return _("The password must not contain a national ID number.")


def _year(text: str) -> int | None:
    """A four-digit year in the Christian (1900–2099) or Buddhist era (2443–2642) as
    Christian, a two-digit year as 19xx/20xx; None if it is not a plausible year."""
    value = int(text)
    if len(text) == 2:
        return 2000 + value
    if len(text) != 4:
        return None
    if 2443 <= value <= 2642:
        return value - 543
    if 1900 <= value <= 2099:
        return value
    return None


def _is_date(day: str, month: str, year: str) -> bool:
    y = _year(year)
    if y is None:
        return False
    try:
        dt.date(y, int(month), int(day))
    except ValueError:
        return False
    return True


# A date with separators: day/month/year or year-month-day, one or two digits for the day
# and month, two or four for the year (1/1/2530, 01-01-87, 2530-01-01, 1.1.1987).
_DMY = re.compile(r"(\d{1,2})[\s\-./](\d{1,2})[\s\-./](\d{2}|\d{4})")
_YMD = re.compile(r"(\d{4})[\s\-./](\d{1,2})[\s\-./](\d{1,2})")


def looks_like_a_date(password: str) -> bool:
    text = password.strip()
    if m := _DMY.fullmatch(text):
        return _is_date(m[1], m[2], m[3]) or _is_date(m[2], m[1], m[3])
    if m := _YMD.fullmatch(text):
        return _is_date(m[3], m[2], m[1])
    if text.isdigit() and len(text) in (6, 8):
        # ddmmyy, ddmmyyyy, yyyymmdd (and mmddyyyy).
        if len(text) == 6:
            return _is_date(text[:2], text[2:4], text[4:])
        return (
            _is_date(text[:2], text[2:4], text[4:])
            or _is_date(text[2:4], text[:2], text[4:])
            or _is_date(text[6:], text[4:6], text[:4])
        )
    return False


class NotADateValidator:
    """Not a date: a birthday is the first thing an attacker who knows you tries."""

    def validate(self, password, user=None):
        if looks_like_a_date(password):
            raise ValidationError(
                _("The password must not be a date, such as a birthday."),
                code="password_date",
            )

    def get_help_text(self):
        return _("The password must not be a date, such as a birthday.")


class NotAShortNumberValidator:
    """Not a number of fewer than ten digits (a phone's PIN, a house number, a date)."""

    min_digits = 10

    def validate(self, password, user=None):
        text = _SEPARATORS.sub("", password)
        if text.isdigit() and len(text) < self.min_digits:
            raise ValidationError(
                _(
                    "The password must not be only a number of fewer than %(digits)d "
                    "digits: add letters."
                )
                % {"digits": self.min_digits},
                code="password_short_number",
            )

    def get_help_text(self):
        return _("The password must not be only a number of fewer than %(digits)d digits.") % {
            "digits": self.min_digits
        }
