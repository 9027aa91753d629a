"""Sign-in and the home page: who you are, your area, and the target groups in it."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from onehome.access.disclosure import shown_count
from onehome.access.models import ScopeLevel, User
from onehome.access.policy import no_personal_data, public
from onehome.access.roles import Action, may, role_labels
from onehome.geo.selectors import area_of_level
from onehome.registry import selectors
from onehome.registry.target_groups import PERSON_GROUPS
from onehome.volunteers.roster.selectors import volunteer_of


class _SignIn(auth_views.LoginView):
    """A volunteer (the role table's `use_volunteer_app` and a record tied to the login)
    lands in the phone app after signing in (issue 16, point 10); everyone else on the
    home page (LOGIN_REDIRECT_URL). An explicit `next` wins for both."""

    def get_default_redirect_url(self):
        user = self.request.user
        if may(user, Action.USE_VOLUNTEER_APP) and volunteer_of(user) is not None:
            return reverse("volunteers:offline_app")
        return super().get_default_redirect_url()


login_view = public(_SignIn.as_view())


class _SignOut(auth_views.LogoutView):
    """Signing out also clears what the site keeps in this browser (`Clear-Site-Data`):
    the volunteer app's offline households and queue in IndexedDB and its cached shell
    (issue 16, point 8), whichever page the volunteer signs out from."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


logout_view = public(_SignOut.as_view())


def _area_label(level: str, code: str) -> str:
    if level == ScopeLevel.NATION:
        return _("Whole country")
    area = area_of_level(level, code)
    return str(area) if area else code


def group_counts(user: User) -> list[dict]:
    counts = selectors.target_group_counts(user)
    return [
        {"key": key, "label": label, "count": shown_count(counts.get(key, 0), user=user)}
        for key, label in [("all", _("Everyone")), *PERSON_GROUPS.items()]
    ]


@no_personal_data
@login_required
def home(request):
    user = request.user
    roles = role_labels(user)
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
