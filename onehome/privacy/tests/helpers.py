"""For tests of other apps that send referrals outside the ministry: record the consent
the PDPA check asks for, as a worker would on the person's privacy page."""

from onehome.access.models import User
from onehome.cases.models import Case
from onehome.privacy.consent.selectors import case_subjects
from onehome.privacy.models import ConsentPurpose, ConsentRecord
from onehome.registry.models import Household, Membership, Person, Relationship


def give_referral_consent(case: Case, *, by: User | None = None) -> list[Person]:
    """Every person the case is about consents to sharing it outside the ministry; a case
    about no registered person gets one (the head of a new household of its area)."""
    people = case_subjects(case)
    if not people:
        household = Household.objects.create(subdistrict_id=case.subdistrict_id, house_no="1")
        person = Person.objects.create(
            id_type="none", first_name_th="ผู้ยินยอม", subdistrict_id=case.subdistrict_id
        )
        Membership.objects.create(
            household=household,
            person=person,
            relationship=Relationship.HEAD,
            start_date=case.opened_at.date(),
        )
        Case.objects.filter(pk=case.pk).update(household=household)
        case.household = household
        people = [person]
    recorder = by or User.objects.filter(is_active=True).order_by("pk").first()
    for person in people:
        ConsentRecord.objects.create(
            person=person, purpose=ConsentPurpose.REFERRAL_PARTNER, recorded_by=recorder
        )
    return people
