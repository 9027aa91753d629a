"""Recording consent and its withdrawal, and the check a referral outside the ministry
must pass (PDPA s.19, s.24, s.27: disclosing personal data needs consent or another
lawful basis; in an emergency, vital interest under s.24(2), recorded with a reason)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.models import Case, Referral
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.orgs.models import PARTNER_KINDS, Organisation
from onehome.privacy.consent import selectors
from onehome.privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    EmergencyOverride,
    GivenBy,
    LawfulBasis,
)

REASON_MAX = 500


def outside_the_ministry(org: Organisation) -> bool:
    """Partners — local government, hospitals, police, universities, NGOs, foundations —
    are outside the ministry; its departments, offices, teams and centres are inside."""
    return org.kind in PARTNER_KINDS


def _check_recorder(actor: User) -> None:
    if not may(actor, Action.RECORD_CONSENT):
        raise ValidationError(_("You may not record consent."), code="not_allowed")


@transaction.atomic
def record_consent(
    *,
    actor: User,
    person_id: int,
    purpose: str,
    lawful_basis: str = LawfulBasis.CONSENT,
    given_by: str = GivenBy.SELF,
    given_by_name: str = "",
    note: str = "",
) -> ConsentRecord:
    """Record that consent for ``purpose`` was given (or another lawful basis applies)."""
    _check_recorder(actor)
    person = selectors.person_for_consent(actor, person_id)
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Choose the purpose of the consent."), code="purpose")
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError(_("Choose the lawful basis."), code="lawful_basis")
    if given_by not in GivenBy.values:
        raise ValidationError(_("Choose who gave the consent."), code="given_by")
    given_by_name = (given_by_name or "").strip()[:200]
    if given_by in (GivenBy.GUARDIAN, GivenBy.CURATOR) and not given_by_name:
        raise ValidationError(
            _("Write the name of the guardian or curator who gave the consent."),
            code="given_by_name",
        )
    if lawful_basis == LawfulBasis.CONSENT and given_by == GivenBy.STAFF:
        raise ValidationError(
            _("Consent is given by the person or their guardian, not by staff."),
            code="given_by",
        )
    if lawful_basis != LawfulBasis.CONSENT and not (note or "").strip():
        raise ValidationError(
            _("Explain why this lawful basis applies (in the note)."), code="note"
        )
    record = ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        lawful_basis=lawful_basis,
        given_by=given_by,
        given_by_name=given_by_name,
        note=(note or "").strip()[:300],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        after=audit.snapshot(record),
        person_id=person.pk,
        purpose="consent given",
    )
    return record


@transaction.atomic
def withdraw_consent(
    *, actor: User, consent_id: int, version: int | None, note: str = ""
) -> ConsentRecord:
    """Record the withdrawal of a consent (PDPA s.19: as easy as giving it)."""
    _check_recorder(actor)
    qs = selectors.scoped_consents(actor).select_for_update()
    try:
        record = qs.get(pk=consent_id)
    except (ConsentRecord.DoesNotExist, ValueError, TypeError):
        raise NotInScopeError from None
    if record.withdrawn_at is not None:
        raise ValidationError(_("This consent is already withdrawn."), code="withdrawn")
    try:
        given = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        given = None
    if given != record.version:
        raise StaleVersionError(current_version=record.version, given_version=version)
    before = audit.snapshot(record)
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = actor
    record.withdrawal_note = (note or "").strip()[:300]
    record.version += 1
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=record,
        before=before,
        after=audit.snapshot(record),
        person_id=record.person_id,
        purpose="consent withdrawn",
    )
    return record


def check_referral(*, case: Case, to_org: Organisation, emergency_reason: str) -> str:
    """Refuse a referral outside the ministry without consent or an emergency reason.
    Returns the cleaned emergency reason ("" when consent covers it or none is needed)."""
    if not outside_the_ministry(to_org):
        return ""
    reason = (emergency_reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The emergency reason is too long (%(n)d characters at most).") % {"n": REASON_MAX},
            code="emergency_reason",
        )
    people = selectors.case_subjects(case)
    missing = selectors.without_consent(people, ConsentPurpose.REFERRAL_PARTNER)
    if people and not missing:
        return ""
    if reason:
        return reason
    if not people:
        raise ValidationError(
            _(
                "%(org)s is outside the ministry: sharing this case needs the consent of the "
                "person it is about, and no registered person is linked to it. Link the person "
                "and record their consent, or, if a life or health is in danger, give the "
                "emergency reason (vital interest). Nothing was sent."
            )
            % {"org": to_org.name_th},
            code="consent",
        )
    raise ValidationError(
        _(
            "%(org)s is outside the ministry: sharing this case needs a given consent for "
            "“%(purpose)s” from %(names)s (or their guardian). Record the consent on the "
            "person's privacy page, or, if a life or health is in danger, give the emergency "
            "reason (vital interest). Nothing was sent."
        )
        % {
            "org": to_org.name_th,
            "purpose": ConsentPurpose.REFERRAL_PARTNER.label,
            "names": ", ".join(p.full_name_th for p in missing),
        },
        code="consent",
    )


def record_override(*, actor: User, referral: Referral, reason: str) -> EmergencyOverride:
    """The emergency override of a referral sent without consent (vital interest, s.24(2)).
    Called inside the referral's transaction."""
    override = EmergencyOverride.objects.create(
        case=referral.case, referral=referral, reason=reason, actor=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=override,
        after=audit.snapshot(override),
        subdistrict_code=referral.case.subdistrict_id,
        purpose="emergency override: vital interest (PDPA s.24(2))",
    )
    return override
