"""Pages for people: search, details, registration and edit forms, moves and merges.

Thin by design: every read goes through `selectors` (scoped, detail reads audited) and
every write through `services` / `merge`; this module only parses input, calls them and
turns their exceptions into messages on the form. Out-of-scope records answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.core import thai_dates
from onehome.errors import DuplicateError, NotInScopeError, StaleVersionError, ValidationError

from . import merge, selectors, services
from .forms import (
    HouseholdCreateForm,
    MergeForm,
    MoveForm,
    PersonCreateForm,
    PersonEditForm,
    SearchForm,
    UndoMergeForm,
    apply_service_error,
)
from .models import Person
from .target_groups import PERSON_GROUPS, age, groups_of_person

PAGE_SIZE = 25


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def require_writer(user) -> None:
    if not user.writes_registry:
        raise Http404


SEARCH_PAGE = 20  # people shown per name search; "Show more" adds as many again
SEARCH_MAX = 200


def _shown(value: str | None) -> int:
    """How many people a name search shows: 20, 40… up to SEARCH_MAX (`?shown=`)."""
    try:
        shown = int(value or SEARCH_PAGE)
    except ValueError:
        shown = SEARCH_PAGE
    return min(max(shown, SEARCH_PAGE), SEARCH_MAX)


@personal_data
@login_required
def search(request):
    user = request.user
    form = SearchForm(request.GET or None, groups=PERSON_GROUPS)
    data = form.cleaned_data if form.is_valid() else {}
    q, area, group = data.get("q", ""), data.get("area", ""), data.get("group", "")
    people: list[Person] = []
    households = []
    page = None
    more = False
    shown = _shown(request.GET.get("shown"))
    searched = bool(q or area or group)
    if q:
        people, households, more = selectors.search_people_and_households(
            user, q, area=area, group=group, limit=shown
        )
    elif area or group:
        qs = selectors.filter_people(selectors.people_in_scope(user), area=area, group=group)
        page = audit.audited_page(
            user, qs, request.GET.get("page"), per_page=PAGE_SIZE, kind=Person,
            purpose="people list",
        )  # fmt: skip
        people = page.object_list
    selectors.with_current_household(people)
    context = {
        "form": form,
        "people": people,
        "households": households,
        "page": page,
        "searched": searched,
        "q": q,
        "more": more,
        "shown_more": min(shown + SEARCH_PAGE, SEARCH_MAX),
        "pick": request.GET.get("pick") == "1",
    }
    template = "registry/_search_results.html" if _is_htmx(request) else "registry/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@personal_data
@login_required
def person_detail(request, pk: int):
    user = request.user
    reveal = request.GET.get("reveal") == "1"
    person = selectors.person_for_view(user, pk, purpose="reveal id" if reveal else "view")
    today = selectors.today()
    context = {
        "person": person,
        "reveal": reveal,
        "age": age(person.birth_date, today),
        "groups": [PERSON_GROUPS[g] for g in groups_of_person(person, today=today)],
        "memberships": selectors.memberships_of(person),
        "merges": selectors.merges_of(user, person).select_related("merged_by", "undone_by"),
        "merge_form": MergeForm() if user.merges_people else None,
        "undo_form": UndoMergeForm() if user.merges_people else None,
        "can_write": user.writes_registry,
    }
    return render(request, "registry/person_detail.html", context)


@personal_data
@login_required
def person_create(request):
    user = request.user
    require_writer(user)
    validate_url = reverse("registry:person_validate")
    # Registering a member from a household's page: the household's area is theirs too.
    household = _household_of_new_member(request)
    initial = (
        {"subdistrict": household.subdistrict_id, "village": household.village_id}
        if household
        else None
    )
    form = PersonCreateForm(request.POST or None, initial=initial, validate_url=validate_url)
    extra: dict = {"for_household": household}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            person = services.register_person(
                actor=user,
                subdistrict=d["subdistrict"],
                village=d["village"],
                acknowledge_duplicates=d["acknowledge_duplicates"],
                **form.person_data(),
            )
        except services.LikelyDuplicatesError as exc:
            selectors.record_candidates_shown(user, list(exc.candidates))
            form.add_error(None, str(exc))
            extra["candidates"] = selectors.with_current_household(list(exc.candidates))
        except DuplicateError as exc:
            form.add_error("id_number", str(exc))
            extra["existing"] = exc.existing
        except ValidationError as exc:
            apply_service_error(form, exc)
        except NotInScopeError:
            form.add_error("subdistrict", _("This sub-district is outside your area of work."))
        else:
            messages.success(request, _("Registered %(name)s.") % {"name": person.full_name_th})
            if household is not None:  # back to the household, the new person chosen
                url = reverse("registry:household", args=[household.pk])
                return redirect(f"{url}?add={person.pk}#add-member")
            return redirect("registry:person", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, **extra})


def _household_of_new_member(request):
    """The household (in the user's area) named by `?household=`, or None."""
    pk = request.GET.get("household", "")
    if not pk.isdigit():
        return None
    return selectors.households_in_scope(request.user).filter(pk=int(pk)).first()


def _edit_initial(person: Person) -> dict:
    initial = {
        name: getattr(person, name)
        for name in [*services.PERSON_EDITABLE, "id_type", "id_number", "first_name_th", "version"]
    }
    if person.birth_date_approximate and person.birth_date:
        initial["birth_year"] = thai_dates.era_year(person.birth_date.year)
    else:
        initial["birth_date"] = person.birth_date
    return initial


@personal_data
@login_required
def person_edit(request, pk: int):
    user = request.user
    require_writer(user)
    person = selectors.person_for_view(user, pk, purpose="edit")
    if person.merged_into_id:
        raise Http404
    validate_url = reverse("registry:person_validate")
    if request.method != "POST":
        form = PersonEditForm(initial=_edit_initial(person), validate_url=validate_url)
        return render(request, "registry/person_form.html", {"form": form, "person": person})
    form = PersonEditForm(request.POST, validate_url=validate_url)
    extra: dict = {}
    if form.is_valid():
        try:
            services.update_person(
                actor=user,
                person_id=person.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.person_data(),
                purpose="edit",
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            extra["stale"] = True
        except DuplicateError as exc:
            form.add_error("id_number", str(exc))
            extra["existing"] = exc.existing
        except ValidationError as exc:
            apply_service_error(form, exc)
        except NotInScopeError:
            raise Http404 from None
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:person", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person, **extra})


VALIDATED_FORMS = {"person": PersonCreateForm, "household": HouseholdCreateForm}


@personal_data
@login_required
@require_POST
def validate(request):
    """Inline validation: the errors of the one field the user just left."""
    form_class = VALIDATED_FORMS.get(request.GET.get("form", "person"), PersonCreateForm)
    form = form_class(request.POST)
    form.is_valid()
    name = request.headers.get("HX-Trigger-Name") or request.POST.get("_field", "")
    errors = form.errors.get(name, []) if name in form.fields else []
    return render(request, "registry/_errors.html", {"errors": errors})


def member_error(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        apply_service_error(form, exc)
    else:
        form.add_error(None, _("No person or household with this number in your area."))


@personal_data
@login_required
def person_move(request, pk: int):
    user = request.user
    require_writer(user)
    person = selectors.person_for_view(user, pk, purpose="move")
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(
                actor=user,
                household_id=d["household"],
                person_id=person.pk,
                relationship=d["relationship"],
                since=d["since"],
                purpose="move",
            )
        except (ValidationError, NotInScopeError) as exc:
            member_error(form, exc)
        else:
            messages.success(request, _("Moved to household %(id)s.") % {"id": d["household"]})
            return redirect("registry:person", pk=person.pk)
    return render(request, "registry/person_move.html", {"form": form, "person": person})


@personal_data
@login_required
@require_POST
def person_merge(request, pk: int):
    user = request.user
    if not user.merges_people:
        raise Http404
    kept = selectors.person_for_view(user, pk, purpose="merge")
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the number of the duplicate record and the reason."))
        return redirect("registry:person", pk=kept.pk)
    try:
        merge.merge_people(
            actor=user,
            kept_id=kept.pk,
            duplicate_id=form.cleaned_data["duplicate"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except NotInScopeError:
        messages.error(request, _("No person with this number in your area."))
    else:
        messages.success(request, _("The two records are now one."))
    return redirect("registry:person", pk=kept.pk)


@personal_data
@login_required
@require_POST
def merge_undo(request, pk: int):
    user = request.user
    if not user.merges_people:
        raise Http404
    form = UndoMergeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        undone = merge.undo_merge(actor=user, merge_id=pk, reason=reason)
    except NotInScopeError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        back = request.POST.get("person", "")
        if back.isdigit():
            return redirect("registry:person", pk=int(back))
        return redirect("registry:search")
    messages.success(request, _("The merge was undone."))
    return redirect("registry:person", pk=undone.kept_id)
