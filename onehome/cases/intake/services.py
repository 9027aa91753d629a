"""Taking reports (แจ้งเหตุ) from every channel: the 1300 hotline, LINE, the public web form,
walk-ins, volunteers' visits and partners' referrals.

`create_report` validates everything before it writes anything, routes the report to the
responsible unit (`routing.py`), sets the first-contact deadline and writes one audit
record. Call types that need no case (feedback, wrong number, prank) are closed at once but
kept, because the hotline reports them in its statistics.
"""

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope
from onehome.cases.deadlines import sla
from onehome.cases.intake import catalogue, idempotency, routing
from onehome.cases.intake.idempotency import TakenReport
from onehome.cases.models import (
    CLOSE_AT_ONCE,
    URGENCY_RANK,
    CallType,
    Channel,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    Risk,
    Urgency,
)
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Subdistrict
from onehome.geo.selectors import resolve_area
from onehome.registry.models import Sex
from onehome.registry.selectors import people_in_scope

# What the public may say about their own report on the web form.
PUBLIC_CALL_TYPES = frozenset(
    {CallType.NEW, CallType.FOLLOW_UP, CallType.ENQUIRY, CallType.FEEDBACK}
)
# No 0/O, 1/I/L: the code is read out over the phone and typed on a phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
PARTY_FIELDS = frozenset(idempotency.PARTY_FIELDS)
# What the answer shows of a linked person (`Person.full_name_th`).
PERSON_NAME_FIELDS = ("id", "title", "first_name_th", "last_name_th")

# Risks that set a floor under the urgency the operator chose (never lower it):
# a life may be at stake within hours → critical; harm is ongoing → at least urgent.
CRITICAL_RISKS = frozenset({Risk.SUICIDE})
CRITICAL_COMBINATIONS = (frozenset({Risk.VIOLENCE, Risk.WEAPON}),)
URGENT_RISKS = frozenset(
    {
        Risk.VIOLENCE,
        Risk.WEAPON,
        Risk.SEXUAL_ABUSE,
        Risk.TRAFFICKING,
        Risk.CHILD_ALONE,
        Risk.NO_FOOD,
        Risk.BEDRIDDEN,
    }
)


def urgency_with_risks(urgency: str, risks: Iterable[str]) -> str:
    """The urgency after the risk rule: suicide risk, or violence with a weapon in the home,
    is critical (ด่วนมาก); any other risk of harm (violence, a weapon, sexual abuse,
    trafficking, a child alone, no food or shelter tonight, bedridden without a carer) is at
    least urgent (ด่วน). Drugs and mental health alone leave the urgency as chosen."""
    found = set(risks)
    floor = Urgency.NORMAL
    if found & URGENT_RISKS:
        floor = Urgency.URGENT
    if found & CRITICAL_RISKS or any(combo <= found for combo in CRITICAL_COMBINATIONS):
        floor = Urgency.CRITICAL
    return min(urgency, floor, key=lambda u: URGENCY_RANK[u])


def new_reference() -> str:
    """An unguessable tracking code for the reporter, e.g. "R7KQ2M9XA"."""
    return "R" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_LENGTH))


def _choice(value: str, allowed: type, message: str, code: str) -> str:
    if value not in allowed.values:
        raise ValidationError(message % {"value": value}, code=code)
    return value


def check_reporter(actor: User | None, channel: str, sub: Subdistrict) -> None:
    """Who may file a report here: anyone on the web form; otherwise a user whose role takes
    reports (the role table) and whose area holds the place (else 404)."""
    if actor is None:
        if channel != Channel.WEB:
            raise ValidationError(_("Only the web form takes reports without signing in."))
        return
    if not may(actor, Action.TAKE_REPORTS):
        raise NotInScopeError
    if not in_scope(actor, subdistrict_code=sub.code):
        raise NotInScopeError


def _parties(actor: User | None, parties: Iterable[Mapping[str, Any]]) -> list[Party]:
    rows: list[Party] = []
    person_ids = set()
    for n, given in enumerate(parties, start=1):
        unknown = set(given) - PARTY_FIELDS
        if unknown:
            raise ValidationError(
                _("Unknown fields for person %(n)d: %(f)s")
                % {"n": n, "f": ", ".join(sorted(unknown))}
            )
        role = given.get("role") or ""
        if role not in PartyRole.values:
            raise ValidationError(
                _("Unknown role %(role)s for person %(n)d.") % {"role": role, "n": n},
                code="party_role",
            )
        person_id = given.get("person_id")
        name = (given.get("name") or "").strip()
        description = (given.get("description") or "").strip()
        if not (person_id or name or description):
            raise ValidationError(
                _("Person %(n)d needs a registry record, a name or a description.") % {"n": n},
                code="party",
            )
        sex = given.get("sex") or ""
        if sex and sex not in Sex.values:
            raise ValidationError(_("Unknown sex %(sex)s.") % {"sex": sex}, code="party")
        age = given.get("age")
        if age is not None and not (isinstance(age, int) and 0 <= age <= 130):
            raise ValidationError(_("Age must be a whole number from 0 to 130."), code="party")
        if person_id:
            if actor is None:
                raise ValidationError(_("The web form cannot link registry records."))
            try:
                person_id = int(person_id)
            except (TypeError, ValueError):
                raise ValidationError(
                    _("No person %(id)s in the registry of your area.") % {"id": person_id},
                    code="party_person",
                ) from None
            person_ids.add(person_id)
        rows.append(
            Party(
                role=role,
                person_id=person_id or None,
                name=name[:200],
                sex=sex,
                age=age,
                description=description[:300],
            )
        )
    if person_ids:
        # With the columns of their names, so the answer needs no read back of the parties.
        found = {
            p.pk: p
            for p in people_in_scope(actor)
            .select_related(None)
            .only(*PERSON_NAME_FIELDS)
            .filter(pk__in=person_ids)
        }
        # Missing and out-of-area people get the same answer, so ids cannot be probed.
        for missing in sorted(person_ids - set(found)):
            raise ValidationError(
                _("No person %(id)s in the registry of your area.") % {"id": missing},
                code="party_person",
            )
        for row in rows:
            if row.person_id:
                row.person = found[row.person_id]
    return rows


def create_report(*, actor: User | None, idempotency_key: str | None = None, **fields) -> Report:
    """Record a report and route it (the fields: `_create_report`); `take_report` without
    saying whether this call created it. ``actor=None`` is the public web form."""
    return take_report(actor=actor, idempotency_key=idempotency_key, **fields).report


def take_report(*, actor: User | None, idempotency_key: str | None = None, **fields) -> TakenReport:
    """Record a report and route it, once per ``idempotency_key`` (`idempotency.py`).

    A retry with the same key and the same report returns the first report (``created``
    false) and writes nothing; the same key with a different report raises
    `RequestKeyReusedError`. Two requests with one key may race: the second insert fails on
    the unique key (PostgreSQL waits for the first to commit), its transaction is rolled
    back whole, and the next attempt finds the first report and replays it (or refuses a
    different one). Every attempt is its own transaction (or savepoint, when the caller has
    one open), so the insert needs no savepoint of its own."""
    for _attempt in range(5):
        reference = new_reference()
        try:
            return _create_report(
                actor=actor, idempotency_key=idempotency_key, reference=reference, **fields
            )
        except IntegrityError:
            if idempotency_key and idempotency.first_with_key(idempotency_key, actor):
                continue
            if not Report.objects.filter(reference=reference).exists():
                raise
    raise RuntimeError("could not draw a free report reference")  # 31^8 codes: never expected


@transaction.atomic
def _create_report(
    *,
    actor: User | None,
    reference: str,
    channel: str,
    call_type: str,
    subdistrict: str,
    village: str | None = None,
    address: str = "",
    category: str = "",
    subcategory: str = "",
    urgency: str = Urgency.NORMAL,
    risks: Iterable[str] = (),
    parties: Iterable[Mapping[str, Any]] = (),
    reporter_anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_relation: str = "",
    occurred_at: dt.datetime | None = None,
    summary: str = "",
    close_enquiry: bool = False,
    idempotency_key: str | None = None,
) -> TakenReport:
    """One attempt of `take_report`, in one transaction. ``close_enquiry`` closes an
    enquiry answered during the call."""
    _choice(channel, Channel, _("Unknown channel %(value)s."), "channel")
    _choice(call_type, CallType, _("Unknown call type %(value)s."), "call_type")
    _choice(urgency, Urgency, _("Unknown urgency %(value)s."), "urgency")
    sub, vil = resolve_area(subdistrict, village)
    check_reporter(actor, channel, sub)
    if actor is None and call_type not in PUBLIC_CALL_TYPES:
        raise ValidationError(_("Choose what your report is about."), code="call_type")
    closes_now = call_type in CLOSE_AT_ONCE or (close_enquiry and call_type == CallType.ENQUIRY)
    if close_enquiry and call_type != CallType.ENQUIRY:
        raise ValidationError(_("Only an enquiry can be closed as answered."), code="call_type")
    # A case needs an issue; calls closed at once and enquiries may have none.
    catalogue.validate(category, subcategory, required=not (closes_now or call_type == "enquiry"))
    risks = list(dict.fromkeys(risks))
    for risk in risks:
        _choice(risk, Risk, _("Unknown risk %(value)s."), "risks")
    now = timezone.now()
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        if occurred_at > now:
            raise ValidationError(_("The time it happened is in the future."), code="occurred_at")
        # A century back at most: earlier times are typing slips (and before 1920 Bangkok's
        # local mean time, +06:42:04, is no offset an API client can read back).
        if occurred_at < now - dt.timedelta(days=365 * 100):
            raise ValidationError(
                _("The time it happened is more than 100 years ago."), code="occurred_at"
            )
    party_rows = _parties(actor, parties)
    if reporter_anonymous:
        reporter_name = reporter_phone = ""
    urgency = urgency_with_risks(urgency, risks)
    sensitive = catalogue.is_sensitive(category, subcategory, risks)

    report = Report(
        reference=reference,
        channel=channel,
        call_type=call_type,
        received_at=now,
        reporter_anonymous=reporter_anonymous,
        reporter_name=reporter_name.strip()[:200],
        reporter_phone=reporter_phone.strip()[:40],
        reporter_relation=reporter_relation.strip()[:100],
        occurred_at=occurred_at,
        subdistrict=sub,
        village=vil,
        address=address.strip()[:300],
        category=category,
        subcategory=subcategory,
        risks=risks,
        urgency=urgency,
        summary=summary.strip(),
        sensitive=sensitive,
        routed_to=routing.responsible_unit(subdistrict=sub, sensitive=sensitive, urgency=urgency),
        created_by=actor,
        idempotency_key=idempotency_key or None,
    )
    if closes_now:
        report.status = ReportStatus.CLOSED
        report.closed_at = now
        report.closed_reason = str(CallType(call_type).label)
    else:
        report.due_at = sla.first_contact_due(urgency, now)
    if idempotency_key and (first := idempotency.first_with_key(idempotency_key, actor)):
        # Compared as stored, so a retry is validated and normalised like the first.
        return idempotency.replay(first, report=report, parties=party_rows)
    report.save()
    for party in party_rows:
        party.report = report
    Party.objects.bulk_create(party_rows)
    if all(p.pk for p in party_rows):
        # The answer shows the parties as written, with their people: no read back
        # (``ReportSerializer.get_parties`` uses ``written_parties`` when it is set).
        report.written_parties = party_rows
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=report,
        after={
            **audit.snapshot(report),
            "parties": [audit.snapshot(p, ["role", "person_id", "name"]) for p in party_rows],
        },
        purpose="web self-report" if actor is None else f"intake: {channel}",
    )
    return TakenReport(report=report, created=True)
