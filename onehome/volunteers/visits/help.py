"""A volunteer's help request as a report in the ordinary intake (Smart อพม.'s core: an
electronic request for help for someone in trouble).

The report is filed through `cases.intake.services.take_report` like any other: channel
"volunteer", a new problem, the household's sub-district and village (so routing and the
first-contact deadline follow the same rules), the volunteer as reporter and the
household's head as the person needing help (so the case opened from it knows the
household). What was asked — the amount of cash aid, the relief items — is written into
the report's summary for the unit triaging it, and kept on the `HelpRequest` for the
service made when the report becomes a case (`receivers.py`). A request filed under no
issue gets one of the 10 official issues from who needs the help (`default_issue`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.cases.intake import catalogue
from onehome.cases.intake.services import take_report
from onehome.cases.models import CallType, Channel, PartyRole, Report, Urgency
from onehome.errors import ValidationError
from onehome.registry.models import Household, Membership
from onehome.registry.target_groups import age
from onehome.volunteers.models import HelpKind, HelpRequest, Visit, Volunteer

# The hotline issue a request is filed under when the volunteer names none follows the
# person needing help (`default_issue`), among the 10 official issues; the triaging unit
# sees the summary and may file it under another issue.
DEFAULT_ISSUE_BY_GROUP: dict[str, tuple[str, str]] = {
    "elderly_alone": ("elderly", "elderly_alone"),  # 60 or older, the only member
    "elderly": ("elderly", "elderly_no_income"),  # 60 or older
    "disabled": ("disabled", "disabled_care"),  # a disability in the registry
    "child_alone": ("children_youth", "child_neglect"),  # under 18, no adult member
}
DEFAULT_ISSUE = ("homeless", "destitute_no_income")  # anyone else: no income, no carer
ELDERLY_AGE, ADULT_AGE = 60, 18
REPORTER_RELATION = "อพม. ผู้ดูแลครัวเรือน"  # stored as written, read by Thai triage staff
MAX_AMOUNT = Decimal("99999999.99")
SUMMARY_MAX = 2000
ITEMS_MAX = 200


@dataclass(frozen=True)
class Asked:
    """A help request checked and normalised, before anything is written."""

    kind: str
    summary: str
    urgency: str
    amount: Decimal | None
    items: str
    visit: Visit | None
    category: str
    subcategory: str

    @property
    def report_summary(self) -> str:
        """What the triaging unit reads: the volunteer's words and what was asked. Stored
        text in Thai whatever the volunteer's language, so a retry compares equal."""
        lines = [self.summary]
        if self.kind == HelpKind.CASH_AID:
            lines.append(f"ขอเงินสงเคราะห์ฉุกเฉิน {self.amount:,.2f} บาท")
        elif self.kind == HelpKind.RELIEF_ITEMS:
            lines.append(f"ขอสิ่งของบรรเทาความเดือดร้อน: {self.items}")
        return "\n".join(lines)

    def form(self, household_id: int) -> dict[str, Any]:
        return {
            "household_id": household_id,
            "kind": self.kind,
            "summary": self.report_summary,
            "urgency": self.urgency,
            "amount": self.amount,
            "items": self.items,
            "visit_id": self.visit.pk if self.visit else None,
            "category": self.category,
            "subcategory": self.subcategory,
        }


def request_form(request: HelpRequest) -> dict[str, Any]:
    """What a saved request keeps of what was asked (`Asked.form`'s shape)."""
    report = request.report
    return {
        "household_id": request.household_id,
        "kind": request.kind,
        "summary": report.summary,
        "urgency": report.urgency,
        "amount": request.amount,
        "items": request.items,
        "visit_id": request.visit_id,
        "category": report.category,
        "subcategory": report.subcategory,
    }


def _amount(kind: str, amount: object) -> Decimal | None:
    if kind != HelpKind.CASH_AID:
        if amount not in (None, ""):
            raise ValidationError(_("Only a request for cash aid has an amount."), code="amount")
        return None
    if amount in (None, ""):
        raise ValidationError(_("Enter the amount of cash aid asked, in baht."), code="amount")
    try:
        value = Decimal(str(amount).replace(",", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("Enter the amount of cash aid asked, in baht."), code="amount"
        ) from None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise ValidationError(_("The amount must be more than 0 baht."), code="amount")
    return value


def clean_request(
    *,
    household: Household,
    kind: str,
    summary: str,
    urgency: str = Urgency.NORMAL,
    amount: object = None,
    items: str = "",
    visit_id: object = None,
    category: str = "",
    subcategory: str = "",
) -> Asked:
    """The request checked: a known kind, words saying what is wrong, an amount for cash
    aid only, items for relief items, a visit of this household, a known issue."""
    if kind not in HelpKind.values:
        raise ValidationError(_("Choose the kind of help asked."), code="kind")
    if urgency not in Urgency.values:
        raise ValidationError(_("Choose how urgent the help is."), code="urgency")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(_("Say what the household needs help with."), code="summary")
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(
            _("The description is longer than %(n)d characters.") % {"n": SUMMARY_MAX},
            code="summary",
        )
    items = (items or "").strip()
    if kind == HelpKind.RELIEF_ITEMS and not items:
        raise ValidationError(_("Say which relief items are needed."), code="items")
    if kind != HelpKind.RELIEF_ITEMS and items:
        raise ValidationError(_("Only a request for relief items lists items."), code="items")
    if len(items) > ITEMS_MAX:
        raise ValidationError(
            _("The list of items is longer than %(n)d characters.") % {"n": ITEMS_MAX},
            code="items",
        )
    visit = None
    if visit_id not in (None, ""):
        try:
            visit = Visit.objects.filter(pk=int(visit_id), household=household).first()  # type: ignore[arg-type]
        except (TypeError, ValueError):
            visit = None
        if visit is None:
            raise ValidationError(_("That visit is not one of this household's."), code="visit")
    if category:
        category, subcategory = category, subcategory or ""
    else:
        category, subcategory = default_issue(household)
    catalogue.validate(category, subcategory, required=True)
    return Asked(
        kind=kind,
        summary=summary,
        urgency=urgency,
        amount=_amount(kind, amount),
        items=items,
        visit=visit,
        category=category,
        subcategory=subcategory,
    )


def person_needing_help(household: Household) -> int | None:
    """The household's head (else its longest-standing member) for the report's party."""
    members = Membership.objects.filter(household=household, end_date__isnull=True)
    head = members.filter(relationship="head").values_list("person_id", flat=True).first()
    return head or members.order_by("start_date", "pk").values_list("person_id", flat=True).first()


def group_needing_help(household: Household, *, today: dt.date | None = None) -> str | None:
    """The `DEFAULT_ISSUE_BY_GROUP` group of the person needing help, first match in the
    table's order: an older person (living alone or not), a person with a disability, a
    child in a household without an adult. An unknown birth date counts as neither old
    nor young, and a member of unknown age as a possible adult."""
    person_id = person_needing_help(household)
    members = {
        m["person_id"]: m
        for m in Membership.objects.filter(household=household, end_date__isnull=True).values(
            "person_id", "person__birth_date", "person__disability"
        )
    }
    if person_id not in members:
        return None
    today = today or timezone.localdate()
    ages = {pk: age(m["person__birth_date"], today) for pk, m in members.items()}
    own_age = ages[person_id]
    if own_age is not None and own_age >= ELDERLY_AGE:
        return "elderly_alone" if len(members) == 1 else "elderly"
    if members[person_id]["person__disability"]:
        return "disabled"
    if all(a is not None and a < ADULT_AGE for a in ages.values()):
        return "child_alone"
    return None


def default_issue(household: Household) -> tuple[str, str]:
    """The (issue, sub-problem) of a request the volunteer files under no issue."""
    return DEFAULT_ISSUE_BY_GROUP.get(group_needing_help(household) or "", DEFAULT_ISSUE)


def file_report(
    *, actor: User, household: Household, volunteer: Volunteer, asked: Asked, key: uuid.UUID
) -> Report:
    """The intake report of a help request (the request's id is its idempotency key)."""
    person_id = person_needing_help(household)
    parties = [{"role": PartyRole.VICTIM, "person_id": person_id}] if person_id else []
    address = " ".join(p for p in (household.house_no, household.address_detail) if p)
    taken = take_report(
        actor=actor,
        idempotency_key=f"help-{key}",
        channel=Channel.VOLUNTEER,
        call_type=CallType.NEW,
        subdistrict=household.subdistrict_id,
        village=household.village_id,
        address=address,
        category=asked.category,
        subcategory=asked.subcategory,
        urgency=asked.urgency,
        parties=parties,
        reporter_name=volunteer.person.full_name_th,
        reporter_phone=getattr(volunteer.person, "phone", "") or "",
        reporter_relation=REPORTER_RELATION,
        summary=asked.report_summary,
    )
    return taken.report
