"""People named exactly by what was typed in the person picker's box without choosing
from the list (no JavaScript): a 13-digit national ID or a whole name, in the user's scope
(`selectors.people_in_scope`)."""

import re

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from . import selectors
from .models import Person

LIMIT = 20


def people_named(user, text: str) -> list[Person]:
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text:
        return []
    qs: QuerySet[Person] = selectors.people_in_scope(user)
    digits = text.replace("-", "").replace(" ", "")
    if digits.isdigit():
        return list(qs.filter(id_number=digits)[:LIMIT]) if len(digits) == 13 else []
    qs = qs.annotate(
        th=Concat("first_name_th", Value(" "), "last_name_th"),
        with_title=Concat("title", Value(" "), "first_name_th", Value(" "), "last_name_th"),
        en=Concat("first_name_en", Value(" "), "last_name_en"),
    )
    return list(qs.filter(Q(th=text) | Q(with_title=text) | Q(en__iexact=text))[:LIMIT])
