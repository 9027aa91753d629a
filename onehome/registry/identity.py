"""Identity documents and birth dates: the checks a registration clerk gets wrong most often.

Thai national IDs are checked with python-stdnum (`stdnum.th.pin`). Cards for people without
Thai nationality (เลขประจำตัว 0, 6, 7, 8…) use the same 13-digit mod-11 check digit; the
0-prefixed numbers that stdnum rejects for Thai nationals are valid there.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.th import pin

from onehome.core import thai_dates
from onehome.errors import ValidationError

from .models import IdType

PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,9}$")


def normalise_id(id_type: str, number: str | None) -> str | None:
    """The canonical stored form of an identity number, or raise ValidationError."""
    number = (number or "").strip()
    if id_type == IdType.NONE:
        if number:
            raise ValidationError(
                _("A person registered without a document has no document number."),
                code="id_number",
            )
        return None
    if not number:
        raise ValidationError(_("Enter the document number."), code="id_number")
    if id_type == IdType.THAI_ID:
        try:
            return pin.validate(number)
        except stdnum_errors.InvalidChecksum:
            raise ValidationError(
                _("The national ID %(number)s has a wrong check digit; please check each digit.")
                % {"number": number},
                code="id_checksum",
            ) from None
        except stdnum_errors.ValidationError:
            raise ValidationError(
                _("A Thai national ID has 13 digits and does not start with 0 or 9."),
                code="id_format",
            ) from None
    if id_type == IdType.NON_THAI_ID:
        compact = pin.compact(number)
        if len(compact) != 13 or not compact.isdigit():
            raise ValidationError(_("A non-Thai ID card number has 13 digits."), code="id_format")
        if compact[-1] != pin.calc_check_digit(compact):
            raise ValidationError(
                _("The ID card number %(number)s has a wrong check digit.") % {"number": number},
                code="id_checksum",
            )
        return compact
    if id_type == IdType.PASSPORT:
        compact = re.sub(r"[\s-]", "", number).upper()
        if not PASSPORT_RE.match(compact):
            raise ValidationError(
                _("A passport number has 6 to 9 letters and digits."), code="id_format"
            )
        return compact
    raise ValidationError(_("Unknown identity document type."), code="id_type")


def refused_document() -> ValidationError:
    """The registry's refusal of a document number it will not take from this user: one
    answer, the same words whatever the reason behind it (today, the number is held by a
    record outside the user's area, or by one that vanished while it was being saved), so
    that it tells nothing about any record. The registry officer of the person's area, who
    can see the record, sorts it out."""
    return ValidationError(
        _(
            "This document number cannot be registered here. Check it against the card; if it "
            "is right, contact the registry officer of the area where the person lives."
        ),
        code="id_refused",
    )


def resolve_birth(
    *, birth_date: dt.date | None, birth_year: int | None, today: dt.date
) -> tuple[dt.date | None, bool]:
    """(stored birth date, approximate?) from a full date or only a year, either given in
    either era: 2528 and 1985 are both 1985 (`thai_dates.birth_year_in_gregorian`; two
    digits are asked again, naming both readings).

    Only a year is stored as 1 July of that year, flagged approximate, so that age queries
    treat every person alike and are wrong by at most six months for the approximate ones.
    """
    year = None
    if birth_year is not None:
        year = thai_dates.birth_year_in_gregorian(birth_year, today=today)
    if birth_date is not None:
        birth_date = thai_dates.birth_date_in_gregorian(birth_date, today=today)
        if year is not None and year != birth_date.year:
            raise ValidationError(
                _("The birth year does not match the birth date."), code="birth_mismatch"
            )
        return birth_date, False
    if year is not None:
        return dt.date(year, 7, 1), True
    return None, False
