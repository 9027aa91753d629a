"""Erasure on request (PDPA s.33): the DPO anonymises a person and the closed cases about
them, and the request is answered in the same transaction. Refused while a case about them
is open (their data is still needed to help them; the DPO refuses or waits)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.cases.models import Case, CaseStatus
from onehome.errors import ValidationError
from onehome.privacy.models import (
    AnonymisedRecord,
    ConsentRecord,
    DataRequest,
    RequestKind,
    RequestStatus,
)
from onehome.privacy.requests.export import subject_case_ids
from onehome.privacy.requests.services import REQUESTS
from onehome.privacy.retention.anonymise import anonymise_case
from onehome.registry.models import IdType, Person

ERASED_NAME = "ผู้ขอลบข้อมูล"
PERSON = "registry.person"


@transaction.atomic
def erase_person(*, actor: User, request_id: int, version: int | None, text: str) -> DataRequest:
    request, step, text = REQUESTS.prepare(
        actor=actor, pk=request_id, to_status=RequestStatus.ANSWERED, version=version, reason=text
    )
    if request.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request anonymises the person."), code="kind")
    person = Person.objects.select_for_update().get(pk=request.person_id)
    case_ids, _others = subject_case_ids(person)
    if Case.objects.filter(pk__in=case_ids).exclude(status=CaseStatus.CLOSED).exists():
        raise ValidationError(
            _(
                "A case about this person is still open: their data is needed to help them. "
                "Refuse the request with that reason, or wait until the case is closed."
            ),
            code="open_case",
        )
    cases = sum(anonymise_case(pk, reason="erasure request") for pk in sorted(case_ids))
    year = person.birth_date.year if person.birth_date else None
    Person.objects.filter(pk=person.pk).update(
        title="",
        first_name_th=ERASED_NAME,
        last_name_th="",
        first_name_en="",
        last_name_en="",
        name_key=ERASED_NAME,
        first_sdx="",
        last_sdx="",
        first_fold="",
        last_fold="",
        first_rom="",
        last_rom="",
        id_type=IdType.NONE,
        id_number=None,
        # The year stays (counts by age group), the day goes.
        birth_date=dt.date(year, 1, 1) if year else None,
        birth_date_approximate=bool(year),
        phone="",
        line_id="",
        version=person.version + 1,
    )
    ConsentRecord.objects.filter(person=person).update(given_by_name="", note="")
    DataRequest.objects.filter(person=person).update(requested_by_name="")
    AnonymisedRecord.objects.get_or_create(
        object_type=PERSON,
        object_id=str(person.pk),
        defaults={"subdistrict_code": person.subdistrict_id, "reason": "erasure request"},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        after={"person_anonymised": True, "cases_anonymised": cases},
        purpose="erasure request: person anonymised (PDPA s.33)",
    )
    return REQUESTS.complete(
        request,
        actor=actor,
        step=step,
        to_status=RequestStatus.ANSWERED,
        reason=text,
        changes={"answer": text, "answered_at": timezone.now()},
    )
