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
from .picker_views import person_label
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
    member_form = None
    added = request.GET.get("add", "")
    if added.isdigit() and request.user.writes_registry:
        # Back from registering a new member here: that person is already chosen.
        person = _chosen_person(request.user, int(added))
        if person is not None:
            member_form = MemberForm(initial={"person": person.pk})
            member_form.fields["person"].widget.chosen_label = person_label(person)
    return _render_household(request, household, member_form)


def _chosen_person(user, person_id: int):
    """The person the member picker chose, read through the scope (audited), with their
    current household; None when there is no such person in the user's area."""
    try:
        person = selectors.person_for_view(user, person_id, purpose="add member")
    except Http404:
        return None
    return selectors.with_current_household([person])[0]


def _render_household(
    request, household, member_form: MemberForm | None, *, confirm: dict | None = None
) -> HttpResponse:
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
        "confirm": confirm,
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
    form.fields["person"].user = user  # a typed name or ID is looked for in the user's scope
    confirm = None
    if form.is_valid():
        d = form.cleaned_data
        person = _chosen_person(user, d["person"])
        current = person.current if person is not None else None
        if person is not None:
            form.fields["person"].widget.chosen_label = person_label(person)
        if person is None:
            form.add_error("person", _("No person with this number in your area."))
        elif (
            current and current.household_id != household.pk and request.POST.get("confirm") != "1"
        ):
            # Someone living in another household moves only once the user confirms it.
            confirm = {"person": person, "from_household": current.household_id}
        else:
            _add_member(request, form, household, d)
            if not form.errors:
                messages.success(request, _("Member added."))
                return redirect("registry:household", pk=household.pk)
    return _render_household(request, household, form, confirm=confirm)


def _add_member(request, form: MemberForm, household, d: dict) -> None:
    """Add the chosen person; a refusal goes onto the form."""
    try:
        services.add_member(
            actor=request.user,
            household_id=household.pk,
            person_id=d["person"],
            relationship=d["relationship"],
            since=d["since"],
            purpose="add member",
        )
    except (ValidationError, NotInScopeError) as exc:
        member_error(form, exc)


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
        form = HouseholdEditForm(
            initial={**initial, "version": household.version},
            subdistrict=household.subdistrict_id,
        )
    else:
        form = HouseholdEditForm(request.POST, subdistrict=household.subdistrict_id)
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
