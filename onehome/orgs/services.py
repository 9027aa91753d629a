"""Writes to the organisation directory."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from onehome.errors import ValidationError

from .models import Agreement, Organisation


@transaction.atomic
def create_agreement(
    *,
    code: str,
    title: str,
    parties: list[Organisation],
    signed_on: dt.date,
    scope: str,
    valid_until: dt.date | None = None,
    provinces: list[str] | None = None,
) -> Agreement:
    """An MOU needs at least two parties and cannot end before it is signed."""
    if len({p.pk for p in parties}) < 2:
        raise ValidationError(_("An agreement needs at least two parties."), code="parties")
    if valid_until and valid_until < signed_on:
        raise ValidationError(
            _("An agreement cannot end before it is signed."), code="agreement_dates"
        )
    agreement, _created = Agreement.objects.update_or_create(
        code=code,
        defaults={
            "title": title,
            "signed_on": signed_on,
            "valid_until": valid_until,
            "scope": scope,
        },
    )
    agreement.parties.set(parties)
    if provinces is not None:
        agreement.provinces.set(provinces)
    return agreement
