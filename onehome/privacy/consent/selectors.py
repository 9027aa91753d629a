"""Reads of consent records: a person's, and the check a referral asks."""

from django.db.models import QuerySet
from django.http import Http404

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.cases.models import Case, Party, PartyRole
from onehome.privacy.models import ConsentRecord, EmergencyOverride
from onehome.registry.models import Membership, Person


def person_for_consent(user: User, person_id: int) -> Person:
    """The person whose consents the user records: in their area for that action, or 404."""
    qs = scoped(user, Person.objects.select_related("subdistrict"), action=Action.RECORD_CONSENT)
    return one_or_404(qs, pk=person_id)


def one_or_404(qs: QuerySet, **lookup):
    """One row of an already scoped queryset (scoped for an action other than reading
    personal data), or 404 like any row outside the area."""
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def consents_of(person: Person) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(person=person).select_related("recorded_by", "withdrawn_by")


def case_subjects(case: Case) -> list[Person]:
    """The registered people a case is about: those linked as the person needing help on
    its reports; failing any, the current members of the case's household."""
    victims = Party.objects.filter(
        report__case=case, role=PartyRole.VICTIM, person__isnull=False
    ).values_list("person_id", flat=True)
    people = list(Person.objects.filter(pk__in=set(victims), merged_into__isnull=True))
    if not people and case.household_id:
        members = Membership.objects.filter(
            household_id=case.household_id, end_date__isnull=True
        ).values_list("person_id", flat=True)
        people = list(Person.objects.filter(pk__in=set(members)))
    return sorted(people, key=lambda p: p.pk)


def without_consent(people: list[Person], purpose: str) -> list[Person]:
    """Of ``people``, those with no given, unwithdrawn consent record for ``purpose``."""
    consenting = set(
        ConsentRecord.objects.filter(
            person__in=people, purpose=purpose, withdrawn_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    return [p for p in people if p.pk not in consenting]


def overrides_in_area(user: User) -> QuerySet[EmergencyOverride]:
    return scoped(
        user,
        EmergencyOverride.objects.select_related("case", "referral__to_org", "actor"),
        action=Action.HANDLE_DATA_REQUESTS,
    )


def consents_in_area(user: User) -> QuerySet[ConsentRecord]:
    return scoped(
        user,
        ConsentRecord.objects.select_related("person", "recorded_by"),
        action=Action.HANDLE_DATA_REQUESTS,
    )


def scoped_consents(user: User) -> QuerySet[ConsentRecord]:
    """Consent records of the people in the user's area for recording consent."""
    return scoped(user, ConsentRecord.objects.all(), action=Action.RECORD_CONSENT)
