"""Build the demo province in one transaction: geography if missing, villages and people
(skipped when the province already has people, unless `reset`), the organisation network
and MOUs, and the demo logins; then one audit event with the counts.

    from onehome.demo.build import build_demo
    result = build_demo(households=200, progress=False)
"""

import sys
from dataclasses import asdict, dataclass, field
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tqdm import tqdm

from onehome.access import audit
from onehome.access.models import AuditAction
from onehome.geo.models import Province, Subdistrict
from onehome.geo.services import load_geography

from . import cases as demo_cases
from . import population
from . import privacy as demo_privacy
from . import volunteers as demo_volunteers
from .cases import CaseCounts
from .logins import DEMO_PASSWORD, DEMO_TOTP_SECRET, Login, demo_logins, upsert_logins
from .network import build_network
from .population import PopulationCounts, ResetBlockedError
from .volunteers import VolunteerCounts

SEED = 57
DEFAULT_HOUSEHOLDS = 20_000

__all__ = ["DEFAULT_HOUSEHOLDS", "DemoResult", "ResetBlockedError", "build_demo"]


@dataclass
class DemoResult:
    province: str
    population: PopulationCounts
    people_skipped: bool
    deleted: dict[str, int] = field(default_factory=dict)
    organisations: int = 0
    agreements: int = 0
    logins: list[Login] = field(default_factory=list)
    cases: CaseCounts | None = None  # None when the cases phase was skipped
    volunteers: VolunteerCounts | None = None  # None when the volunteers phase was skipped

    def counts(self) -> dict:
        return {
            **asdict(self.population),
            "people_skipped": self.people_skipped,
            "deleted": self.deleted,
            "organisations": self.organisations,
            "agreements": self.agreements,
            "users": len(self.logins),
            "reports": self.cases.reports if self.cases else 0,
            "cases": self.cases.cases if self.cases else 0,
        }


def _bar(progress: bool, desc: str, total: int, unit: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit=unit, disable=not progress, leave=True)


def build_demo(
    *,
    households: int = DEFAULT_HOUSEHOLDS,
    reset: bool = False,
    progress: bool = True,
    stdout: TextIO | None = None,
    province: str | None = None,
) -> DemoResult:
    """Load the demo province. Safe to run again: people are only rebuilt with `reset`;
    organisations, agreements and users are upserted."""
    out = stdout or sys.stdout
    province = province or settings.ONEHOME_DEMO_PROVINCE
    if households < 1:
        raise ValueError("the demo needs at least one household")
    if not Province.objects.filter(code=province).exists():
        out.write("Loading the geography (provinces, districts, sub-districts)…\n")
        load_geography()
    prov = Province.objects.get(code=province)
    n_subs = Subdistrict.objects.filter(province=prov).count()
    today = timezone.localdate()

    with transaction.atomic():
        deleted: dict[str, int] = {}
        if reset:
            # Volunteers' work first (help requests point at reports), then cases: their
            # reports and services point at the people (PROTECT).
            deleted = demo_volunteers.reset_volunteers(province)
            deleted |= demo_privacy.reset_privacy(province)
            deleted |= demo_cases.reset_cases(province)
            deleted |= population.reset_population(province)
            out.write(
                "Reset: deleted "
                + ", ".join(f"{v} {k}" for k, v in deleted.items())
                + " (the audit log is kept)\n"
            )
        skipped = population.province_has_people(province)
        counts = PopulationCounts()
        if skipped:
            out.write(
                f"{prov.name_th} already has people: people phase skipped "
                "(use --reset to rebuild them).\n"
            )
        else:
            with _bar(progress, "villages", n_subs, "sub-district") as bar:
                population.create_villages(province=province, seed=SEED, progress=bar.update)
            with _bar(progress, "households", households, "household") as bar:
                counts = population.create_population(
                    province=province,
                    households=households,
                    seed=SEED,
                    today=today,
                    progress=bar.update,
                )

        with _bar(progress, "centres", n_subs, "sub-district") as bar:
            network = build_network(province=province, seed=SEED, progress=bar.update)
        logins = demo_logins(province, prov.region_id or "")
        with _bar(progress, "logins", len(logins), "user") as bar:
            upsert_logins(logins, network=network, progress=bar.update)
        case_counts = None
        if demo_cases.province_has_cases(province):
            out.write(
                f"{prov.name_th} already has reports: cases phase skipped "
                "(use --reset to rebuild them).\n"
            )
        else:
            with _bar(progress, "cases", demo_cases.planned_reports(), "report") as bar:
                case_counts = demo_cases.build_cases(
                    province=province, seed=SEED, progress=bar.update
                )
        if case_counts is not None and not demo_privacy.province_has_privacy(province):
            # Consents, requests, breaches and retention (PDPA), with the cases they concern.
            demo_privacy.build_privacy(province=province, seed=SEED)
        result = DemoResult(
            province=province,
            population=counts,
            people_skipped=skipped,
            deleted=deleted,
            organisations=network.organisations,
            agreements=len(network.agreements),
            logins=logins,
            cases=case_counts,
        )
        # One event for the whole load: a row per person would bury the log in demo noise.
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="demo",
            object_id=province,
            after=result.counts(),
            purpose="demo data load",
        )
    _report(result, prov, out)
    # After the commit: the survey's import and runs write files and have their own
    # transactions; the survey is rebuilt when the people were.
    from .survey import build_survey

    build_survey(province=province, progress=progress, stdout=out, force=not skipped)
    # Last: the volunteers are given the target households of the survey's run.
    if demo_volunteers.province_has_volunteers(province):
        out.write("Volunteers already loaded: volunteers phase skipped.\n")
        demo_volunteers.name_the_login_after_its_record(province)  # upsert_logins renamed it
    else:
        v = demo_volunteers.build_volunteers(province=province, seed=SEED)
        result.volunteers = v
        out.write(
            f"Volunteers: {sum(v.volunteers.values())} ({_listed(v.volunteers)}); "
            f"{v.assignments} households assigned, {v.visits} visits, "
            f"{v.help_requests} help requests, {v.conflicts} conflicts; "
            f"course: {_listed(v.enrollments)}; plans: {_listed(v.plans)}\n"
        )
    return result


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n)


def _report(result: DemoResult, prov: Province, out: TextIO) -> None:
    p = result.population
    if not result.people_skipped:
        out.write(
            f"\n{prov.name_th} ({prov.code}): {p.villages:,} villages, "
            f"{p.households:,} households, {p.people:,} people ({p.homeless} homeless), "
            f"{p.memberships:,} memberships\n"
        )
    out.write(
        f"Network: {result.organisations} organisations, {result.agreements} agreements (MOUs)\n"
    )
    if result.cases:
        c = result.cases
        out.write(
            f"Cases: {c.reports} reports, {c.cases} cases "
            f"({c.by_status.get('closed', 0)} closed, {c.overdue} overdue, "
            f"{c.escalated} escalated), {c.referrals} referrals, {c.services} services\n"
            f"Referral desks (same password): {', '.join(c.desk_logins)}\n"
        )
    out.write(f"\nDemo logins — password for all: {DEMO_PASSWORD}\n")
    out.write("(for the demo only: never load demo users on a server with real data)\n\n")
    width = max(len(lo.username) for lo in result.logins) + 2
    out.write(f"{'username':<{width}}{'role':<18}scope\n")
    out.write(f"{'-' * (width - 2):<{width}}{'-' * 16:<18}{'-' * 16}\n")
    for lo in result.logins:
        out.write(f"{lo.username:<{width}}{str(lo.role):<18}{lo.scope}\n")
    # The logins that were given the demo's authenticator device (`logins.upsert_logins`).
    wide = TOTPDevice.objects.filter(
        confirmed=True, user__username__in=[lo.username for lo in result.logins]
    ).values_list("user__username", flat=True)
    out.write(
        f"\nSecond factor for {', '.join(sorted(wide))}: after the password, enter the\n"
        "6-digit code of "
        f"the demo secret {DEMO_TOTP_SECRET} (add it to an authenticator app,\n"
        "or run `onehome demo_code` for the current code).\n"
    )
