"""Sign-in and the home page: who you are, your area, and the target groups in it."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onehome.access.models import Role, ScopeLevel, User
from onehome.access.policy import no_personal_data, public
from onehome.geo.selectors import AREA_MODELS, subdistricts_of
from onehome.registry import selectors
from onehome.registry.models import Person
from onehome.registry.target_groups import PERSON_GROUPS

# Aggregates shown to people without personal-data access hide counts under this.
SMALL_CELL = 5

login_view = public(auth_views.LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())


def _area_label(level: str, code: str) -> str:
    if level == ScopeLevel.NATION:
        return _("Whole country")
    model = AREA_MODELS.get(level)
    area = model.objects.filter(code=code).first() if model and code else None
    return str(area) if area else code


def _people_for_counts(user: User) -> QuerySet[Person]:
    """People counted on the home page. Personal-data roles count through the scoping
    function; other roles (analysts, fund officers…) count the people of their area but
    only ever see the numbers, with small cells suppressed."""
    if user.reads_personal_data:
        return selectors.people_in_scope(user)
    level, code = user.scope_level, user.scope_code
    if level not in ScopeLevel.values or (level != ScopeLevel.NATION and not code):
        return Person.objects.none()
    return Person.objects.filter(
        merged_into__isnull=True, subdistrict__in=subdistricts_of(level=level, code=code)
    )


def group_counts(user: User) -> list[dict]:
    people = _people_for_counts(user)
    suppress = not user.reads_personal_data
    rows = []
    for key, label in [("all", _("Everyone")), *PERSON_GROUPS.items()]:
        n = people.count() if key == "all" else selectors.filter_people(people, group=key).count()
        shown = "<5" if suppress and 0 < n < SMALL_CELL else f"{n:,}"
        rows.append({"key": key, "label": label, "count": shown})
    return rows


@no_personal_data
@login_required
def home(request):
    user = request.user
    roles = [Role(r).label for r in user.roles if r in Role.values]
    scope = None
    if user.scope_level in ScopeLevel.values:
        scope = {
            "level": ScopeLevel(user.scope_level).label,
            "area": _area_label(user.scope_level, user.scope_code),
        }
    return render(
        request,
        "web/home.html",
        {"roles": roles, "scope": scope, "counts": group_counts(user)},
    )


# Strings translated elsewhere inside f-strings, which `makemessages` cannot see.
EXTRACT_ONLY = [gettext_noop("Moo")]  # onehome.geo.models.Village.__str__
