"""Case fixtures for every test of the cases app: the Chiang Rai provincial office, an
assistance centre serving ตำบลเวียง, their staff, and helpers that make reports and cases
through the real services (intake → triage → transitions).

A test module may define a fixture of the same name to replace one of these.
"""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.lifecycle import transitions
from onehome.cases.models import CallType, Case, CaseStatus, Channel, StockItem, Urgency
from onehome.conftest import CHIANG_RAI, WIANG
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind
from onehome.privacy.tests.helpers import give_referral_consent

from .helpers import api_for

S = CaseStatus
# How make_case reaches each status from a freshly accepted (waiting) case.
PATHS = {
    S.WAITING: [],
    S.ASSESSING: [S.ASSESSING],
    S.REFERRED: [S.ASSESSING, S.REFERRED],
    S.ASSISTANCE_REPORTED: [S.ASSESSING, S.ASSISTANCE_REPORTED],
    S.ASSISTANCE_DONE: [S.ASSESSING, S.ASSISTANCE_REPORTED, S.ASSISTANCE_DONE],
    S.CLOSURE_REQUESTED: [
        S.ASSESSING,
        S.ASSISTANCE_REPORTED,
        S.ASSISTANCE_DONE,
        S.CLOSURE_REQUESTED,
    ],
    S.CLOSED: [
        S.ASSESSING,
        S.ASSISTANCE_REPORTED,
        S.ASSISTANCE_DONE,
        S.CLOSURE_REQUESTED,
        S.CLOSED,
    ],
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Case tests make many users; the production hasher costs a second each on a busy CI."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org_57(db) -> Organisation:
    """สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงราย, serving the whole province."""
    office = Organisation.objects.create(
        code="t-psdhs-57",
        kind=OrgKind.PROVINCIAL_OFFICE,
        name_th="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงราย",
        name_en="Chiang Rai Provincial Social Development Office",
        province_id=CHIANG_RAI,
    )
    office.serves.set(Subdistrict.objects.filter(province_id=CHIANG_RAI))
    return office


@pytest.fixture
def centre(db) -> Organisation:
    """The social assistance centre of ตำบลเวียง."""
    org = Organisation.objects.create(
        code="t-centre-570101",
        kind=OrgKind.ASSISTANCE_CENTRE,
        name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        name_en="Wiang Social Assistance Centre",
        province_id=CHIANG_RAI,
        location_id=WIANG,
    )
    org.serves.add(WIANG)
    return org


@pytest.fixture
def operator(make_user):
    """A 1300 hotline operator: takes reports from the whole country."""
    return make_user(Role.HOTLINE_OPERATOR, level=ScopeLevel.NATION, code="")


@pytest.fixture
def case_worker(make_user, centre):
    return make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF, organisation=centre)


@pytest.fixture
def other_worker(make_user, centre):
    """A second social worker of the same centre."""
    return make_user(Role.SOCIAL_WORKER, organisation=centre)


@pytest.fixture
def case_supervisor(make_user, centre):
    return make_user(Role.SUPERVISOR, organisation=centre)


@pytest.fixture
def office_worker(make_user, org_57):
    return make_user(Role.SOCIAL_WORKER, organisation=org_57)


@pytest.fixture
def office_supervisor(make_user, org_57):
    return make_user(Role.SUPERVISOR, organisation=org_57)


@pytest.fixture
def provincial_head(make_user, org_57):
    return make_user(Role.PROVINCIAL_HEAD, organisation=org_57)


@pytest.fixture
def make_report(operator, org_57, centre, case_worker):
    """A hotline report through `intake.create_report`; keyword arguments override."""

    def make(**kw):
        kw.setdefault("actor", operator)
        kw.setdefault("channel", Channel.HOTLINE)
        kw.setdefault("call_type", CallType.NEW)
        kw.setdefault("subdistrict", WIANG)
        kw.setdefault("category", "elderly")
        kw.setdefault("subcategory", "elderly_bedridden")
        kw.setdefault("urgency", Urgency.NORMAL)
        kw.setdefault("summary", "ยายอยู่ลำพัง ติดเตียง ไม่มีผู้ดูแล")
        return intake.create_report(**kw)

    return make


@pytest.fixture
def make_case(make_report, case_supervisor, office_supervisor, centre):
    """A case accepted by a supervisor of the routed unit, walked to `status` through
    `transitions.transition` (or along `path`). Sensitive reports go to the provincial
    office, so its supervisor runs them."""

    def make(status: str = S.ASSESSING, *, path: list[str] | None = None, **report_kw) -> Case:
        report = make_report(**report_kw)
        by = case_supervisor if report.routed_to_id == centre.pk else office_supervisor
        case = triage.accept_report(actor=by, report_id=report.pk, version=report.version)
        for step in PATHS[status] if path is None else path:
            case = transitions.transition(
                actor=by, case_id=case.pk, to_status=step, reason="ทดสอบ", version=case.version
            )
        return case

    return make


@pytest.fixture
def hospital(db) -> Organisation:
    """A hospital in Chiang Rai: an agency that takes referrals and plan goals."""
    return Organisation.objects.create(
        code="t-hosp-57", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลเชียงราย", province_id="57"
    )


@pytest.fixture
def diapers(db) -> StockItem:
    """An in-kind stock item."""
    return StockItem.objects.create(code="diapers-l", name_th="ผ้าอ้อมผู้ใหญ่", unit="ห่อ")


@pytest.fixture
def busy_case(case_worker, hospital, make_report, make_person):
    """A case with a linked person, an offender, a referral and a service."""
    person = make_person()
    report = make_report(
        parties=[
            {"role": "victim", "person_id": person.pk},
            {"role": "alleged_offender", "name": "นายโหด"},
        ]
    )
    api = api_for(case_worker)
    case_id = api.post(
        f"/api/reports/{report.pk}/accept/", {"version": report.version}, format="json"
    ).json()["id"]
    # The hospital is outside the ministry: the person consents first (PDPA).
    give_referral_consent(Case.objects.get(pk=case_id), by=case_worker)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    sent = api.post(
        "/api/referrals/",
        {"case": case_id, "to_org": hospital.pk, "need": "เยี่ยมบ้าน", "due_at": due},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    service = api.post("/api/services/", {"case": case_id, "kind": "counselling"}, format="json")
    assert service.status_code == 201, service.content
    return Case.objects.get(pk=case_id)
