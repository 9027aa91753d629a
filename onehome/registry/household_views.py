"""Pages for households: list, detail with members and history, create, edit, add member.

Thin like `views`: reads through `selectors` (scoped; details audited), writes through
`services`; out-of-scope records answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.scope import in_scope
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError

from . import selectors, services
from .forms import (
    HouseholdCreateForm,
    HouseholdEditForm,
    MemberForm,
    SearchForm,
    apply_service_error,
)
from .target_groups import HOUSEHOLD_GROUPS, age
from .views import PAGE_SIZE, member_error, require_writer


@personal_data
@login_required
def household_list(request):
    user = request.user
    form = SearchForm(request.GET or None, groups=HOUSEHOLD_GROUPS)
    data = form.cleaned_data if form.is_valid() else {}
    qs = (
        selectors.filter_households(
            selectors.households_in_scope(user), area=data.get("area"), group=data.get("group")
        )
        .annotate(members=Count("memberships", filter=Q(memberships__end_date__isnull=True)))
        .order_by("pk")
    )
    page = audit.audited_page(
        user, qs, request.GET.get("page"), per_page=PAGE_SIZE, kind="registry.household",
        purpose="households list",
    )  # fmt: skip
    return render(request, "registry/household_list.html", {"form": form, "page": page})


@personal_data
@login_required
def household_detail(request, pk: int):
    household = selectors.household_for_view(request.user, pk, purpose="view")
    return _render_household(request, household, None)


def _render_household(request, household, member_form: MemberForm | None) -> HttpResponse:
    user = request.user
    today = selectors.today()
    memberships = list(household.memberships.all())
    for m in memberships:
        m.age = age(m.person.birth_date, today)
        # A past member who now lives outside the viewer's area is shown without a name:
        # their household history is this household's, their identity is not ours to show.
        m.hidden = m.end_date is not None and not in_scope(
            user, subdistrict_code=m.person.subdistrict_id
        )
    can_write = user.writes_registry
    context = {
        "household": household,
        "current": [m for m in memberships if m.end_date is None],
        "past": [m for m in memberships if m.end_date is not None],
        "can_write": can_write,
        "member_form": (member_form or MemberForm()) if can_write else None,
    }
    return render(request, "registry/household_detail.html", context)


@personal_data
@login_required
@require_POST
def household_add_member(request, pk: int):
    user = request.user
    require_writer(user)
    household = selectors.household_for_view(user, pk, purpose="add member")
    form = MemberForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(
                actor=user,
                household_id=household.pk,
                person_id=d["person"],
                relationship=d["relationship"],
                since=d["since"],
                purpose="add member",
            )
        except (ValidationError, NotInScopeError) as exc:
            member_error(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("registry:household", pk=household.pk)
    return _render_household(request, household, form)


@personal_data
@login_required
def household_create(request):
    user = request.user
    require_writer(user)
    validate_url = reverse("registry:person_validate") + "?form=household"
    form = HouseholdCreateForm(request.POST or None, validate_url=validate_url)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            household = services.create_household(actor=user, **d)
        except ValidationError as exc:
            apply_service_error(form, exc)
        except NotInScopeError:
            form.add_error("subdistrict", _("This sub-district is outside your area of work."))
        else:
            messages.success(request, _("Household created."))
            return redirect("registry:household", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form})


@personal_data
@login_required
def household_edit(request, pk: int):
    user = request.user
    require_writer(user)
    household = selectors.household_for_view(user, pk, purpose="edit")
    if request.method != "POST":
        initial = {name: getattr(household, name) for name in services.HOUSEHOLD_EDITABLE}
        form = HouseholdEditForm(initial={**initial, "version": household.version})
    else:
        form = HouseholdEditForm(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            try:
                services.update_household(
                    actor=user,
                    household_id=household.pk,
                    expected_version=changes.pop("version"),
                    changes=changes,
                    purpose="edit",
                )
            except StaleVersionError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_service_error(form, exc)
            except NotInScopeError:
                raise Http404 from None
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:household", pk=household.pk)
    context = {"form": form, "household": household}
    return render(request, "registry/household_form.html", context)
