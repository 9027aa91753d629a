"""Template filters for the links other rooms' pages make to the volunteers' household
pages (the registry household page links the record book, the visit form, the plan...)."""

from django import template

from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.roster.selectors import volunteer_of

register = template.Library()


@register.filter
def opens_household_work(user, household) -> bool:
    """Whether the volunteers' pages of ``household`` can open for ``user``: a login tied
    to a volunteer record opens them only for the households open-assigned to it (the rule
    of `household_for_work_or_404`: any other answers 404, so it gets no link); anyone else
    as their roles let them (each link is still shown by role)."""
    if volunteer_of(user) is None:
        return True
    return assigned_households(user=user).filter(pk=household.pk).exists()
