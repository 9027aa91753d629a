"""The person picker (/people/pick/): people found by name or national ID, shown with
what tells them apart — age, masked ID, village and household. Read through the scope
(`selectors.search_people`), audited like every search; out-of-scope users get nothing."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from onehome.access.policy import personal_data
from onehome.core.pickers import MIN_CHARS, render_options
from onehome.web.templatetags.onehome_ui import mask_id

from . import selectors
from .models import Person

PICK_LIMIT = 10


def person_facts(person: Person) -> list[str]:
    """Age, masked ID, place and household of a person `with_current_household` read."""
    facts = []
    if getattr(person, "age", None) is not None:
        facts.append(
            ngettext("%(years)d year", "%(years)d years", person.age) % {"years": person.age}
        )
    if person.id_number:
        facts.append(mask_id(person.id_number))
    place = str(person.village) if person.village_id else person.subdistrict.name
    facts.append(place)
    current = getattr(person, "current", None)
    if current is not None:
        facts.append(_("Household #%(id)s") % {"id": current.household_id})
    else:
        facts.append(_("No household"))
    return facts


def person_label(person: Person) -> str:
    """What the picker's box shows once the person is chosen."""
    return " · ".join([person.full_name_th, *person_facts(person)[:2]])


@personal_data
@login_required
@require_GET
def pick(request):
    """`?q=<name or national ID>`: at most ten people of the user's area."""
    query = (request.GET.get("q") or "").strip()
    people = []
    if len(query) >= MIN_CHARS:
        people = selectors.with_current_household(
            selectors.search_people(request.user, query, limit=PICK_LIMIT)
        )
    options = [
        {
            "value": p.pk,
            "label": person_label(p),
            "title": p.full_name_th + (f" ({p.full_name_en})" if p.full_name_en else ""),
            "detail": " · ".join(person_facts(p)),
        }
        for p in people
    ]
    return render_options(request, options)
