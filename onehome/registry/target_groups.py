"""Target groups derived in queries from facts (birth date, disability, memberships).

Nothing here is stored: a child turns 18 and leaves the group on her birthday without
any job updating a flag. Single-parent household: a current member under 18 who is the
head's child or grandchild, and no current spouse of the head.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Membership, Relationship


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


PERSON_GROUPS = {
    "child": _("Children (under 18)"),
    "youth": _("Youth (18–25)"),
    "elderly": _("Elderly (60+)"),
    "disabled": _("People with disabilities"),
    "homeless": _("Homeless"),
}
HOUSEHOLD_GROUPS = {**PERSON_GROUPS, "single_parent": _("Single-parent families")}


def person_group_q(group: str, *, today: dt.date, prefix: str = "") -> Q:
    """Q for people in `group`; `prefix` is the path to the person (e.g. "person__")."""
    p = prefix
    if group == "child":
        return Q(**{f"{p}birth_date__gt": years_ago(today, 18)})
    if group == "youth":
        return Q(**{f"{p}birth_date__lte": years_ago(today, 18)}) & Q(
            **{f"{p}birth_date__gt": years_ago(today, 26)}
        )
    if group == "elderly":
        return Q(**{f"{p}birth_date__lte": years_ago(today, 60)})
    if group == "disabled":
        return ~Q(**{f"{p}disability": ""})
    if group == "homeless":
        return Q(**{f"{p}no_fixed_address": True})
    raise ValueError(group)


def household_group_q(group: str, *, today: dt.date) -> Q:
    """Q on Household: has a current member in `group`, or is a single-parent household."""
    current = Membership.objects.filter(household=OuterRef("pk"), end_date__isnull=True)
    if group == "single_parent":
        young_child = current.filter(
            relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD],
            person__birth_date__gt=years_ago(today, 18),
        )
        spouse = current.filter(relationship=Relationship.SPOUSE)
        return Q(Exists(young_child)) & ~Q(Exists(spouse))
    return Q(Exists(current.filter(person_group_q(group, today=today, prefix="person__"))))


def age(birth_date: dt.date | None, today: dt.date) -> int | None:
    if birth_date is None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def groups_of_person(person, *, today: dt.date) -> list[str]:
    """The groups one loaded person belongs to (for display; queries use the Q functions)."""
    a = age(person.birth_date, today)
    out = []
    if a is not None:
        if a < 18:
            out.append("child")
        elif a <= 25:
            out.append("youth")
        if a >= 60:
            out.append("elderly")
    if person.disability:
        out.append("disabled")
    if person.no_fixed_address:
        out.append("homeless")
    return out
