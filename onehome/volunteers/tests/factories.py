"""Shared makers for the volunteers tests: a centre, a volunteer with a login, a
household assigned to them. Every room's tests use these instead of their own."""

import datetime as dt
import itertools

from onehome.access.models import Role, ScopeLevel, User
from onehome.geo.models import Village
from onehome.geo.services import load_village
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services as registry
from onehome.volunteers.models import Assignment, AssignmentSource, Volunteer, VolunteerStatus

WIANG = "570101"
_n = itertools.count()


def make_centre(subdistrict: str = WIANG) -> Organisation:
    centre, _ = Organisation.objects.get_or_create(
        code=f"TEST-AC-{subdistrict}",
        defaults={
            "kind": OrgKind.ASSISTANCE_CENTRE,
            "name_th": f"ศูนย์ช่วยเหลือสังคมตำบล {subdistrict}",
            "province_id": subdistrict[:2],
            "location_id": subdistrict,
        },
    )
    return centre


def make_village(subdistrict: str = WIANG, number: int = 1) -> Village:
    code = f"{subdistrict}{number:02d}"
    return Village.objects.filter(pk=code).first() or load_village(
        code=code, name_th=f"บ้านทดสอบ {number}"
    )


def make_volunteer(
    actor: User,
    *,
    subdistrict: str = WIANG,
    villages: tuple[int, ...] = (1,),
    status: str = VolunteerStatus.ACTIVE,
    with_login: bool = True,
    first_name: str = "อาสา",
) -> Volunteer:
    """A volunteer of ``subdistrict`` (their person registered by ``actor``), working in
    the given village numbers, with a login scoped to the sub-district when asked."""
    n = next(_n)
    person = registry.register_person(
        actor=actor,
        first_name_th=f"{first_name}{n}",
        last_name_th="ใจดี",
        subdistrict=subdistrict,
        id_type="none",
        id_number=None,
        birth_year=1975,
        acknowledge_duplicates=True,
    )
    user = None
    if with_login:
        user = User.objects.create_user(
            username=f"vol{n}",
            password="pw-for-tests-only",
            roles=[Role.VOLUNTEER],
            scope_level=ScopeLevel.SUBDISTRICT,
            scope_code=subdistrict,
        )
    volunteer = Volunteer.objects.create(
        person=person,
        user=user,
        subdistrict_id=subdistrict,
        centre=make_centre(subdistrict),
        status=status,
        appointed_on=dt.date(2025, 1, 15),
        term_ends_on=dt.date(2029, 1, 14),
    )
    volunteer.villages.set([make_village(subdistrict, v) for v in villages])
    return volunteer


def assign(volunteer: Volunteer, household, *, by: User) -> Assignment:
    """An open assignment written directly (tests of other rooms need one, not the rules)."""
    return Assignment.objects.create(
        household=household,
        volunteer=volunteer,
        source=AssignmentSource.ONE_BY_ONE,
        assigned_by=by,
    )
