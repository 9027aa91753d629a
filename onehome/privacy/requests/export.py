"""What OneHome holds about one person, for an access request (PDPA s.30): their record,
households, the cases about them, referrals, services, consents, and who read their record.

Third parties are left out: reporters (name, phone, relation), the other people of a report
or a household, and staff's free text (summaries, notes, a referral's need), which often
names others — the DPO gives those on request after redacting. Cases where the person is
named only as an alleged offender or a witness are not listed: telling them could put the
person who reported at risk (s.30: a request may be refused where it harms others' rights);
the page tells the DPO how many there are so that they decide.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.cases.intake.catalogue import label as issue_label
from onehome.cases.models import Case, Party, PartyRole, Referral, Service
from onehome.privacy.models import ConsentRecord
from onehome.privacy.requests.selectors import person_for_request
from onehome.registry.models import Membership, Person

SUBJECT_ROLES = (PartyRole.VICTIM, PartyRole.FAMILY)
READS_SHOWN = 500


@dataclass
class Held:
    person: Person
    memberships: list[Membership]
    cases: list[Case]
    referrals: list[Referral]
    services: list[Service]
    consents: list[ConsentRecord]
    reads: list[dict]
    withheld_cases: int
    reads_total: int = 0
    made_on: dt.date | None = None


def subject_case_ids(person: Person) -> tuple[set[int], int]:
    """The cases about the person (as the one needing help, family, or through their
    household), and how many others name them only as an alleged offender or a witness."""
    as_subject = set(
        Party.objects.filter(
            person=person, role__in=SUBJECT_ROLES, report__case__isnull=False
        ).values_list("report__case_id", flat=True)
    )
    households = Membership.objects.filter(person=person).values_list("household_id", flat=True)
    as_subject |= set(Case.objects.filter(household_id__in=households).values_list("id", flat=True))
    others = set(
        Party.objects.filter(person=person, report__case__isnull=False)
        .exclude(role__in=SUBJECT_ROLES)
        .values_list("report__case_id", flat=True)
    )
    return as_subject, len(others - as_subject)


def held_about(actor: User, person_id: int) -> Held:
    """Everything the export shows, read for the DPO of the person's area (404 outside it);
    the export itself is audited."""
    person = person_for_request(actor, person_id)
    case_ids, withheld = subject_case_ids(person)
    cases = list(Case.objects.filter(pk__in=case_ids).select_related("owner").order_by("opened_at"))
    for case in cases:
        case.issue_label = issue_label(case.category, case.subcategory)
    referrals = list(
        Referral.objects.filter(case_id__in=case_ids)
        .select_related("case", "from_org", "to_org")
        .order_by("sent_at")
    )
    services = list(
        Service.objects.filter(case_id__in=case_ids)
        .filter(Q(recipient=person) | Q(recipient__isnull=True))
        .select_related("case", "provider")
        .order_by("requested_at")
    )
    reads_qs = AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.READ)
    events = list(reads_qs.order_by("-at")[:READS_SHOWN])
    orgs = dict(
        User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).values_list(
            "pk", "organisation__name_th"
        )
    )
    reads = [
        {"at": e.at, "organisation": orgs.get(e.actor_id) or "", "purpose": e.purpose}
        for e in events
    ]
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=person,
        person_id=person.pk,
        purpose="data-subject access export (PDPA s.30)",
    )
    return Held(
        person=person,
        memberships=list(
            Membership.objects.filter(person=person)
            .select_related("household__subdistrict", "household__village")
            .order_by("start_date")
        ),
        cases=cases,
        referrals=referrals,
        services=services,
        consents=list(ConsentRecord.objects.filter(person=person).order_by("given_at")),
        reads=reads,
        reads_total=reads_qs.count(),
        withheld_cases=withheld,
        made_on=timezone.localdate(),
    )
