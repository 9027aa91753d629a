"""Fixtures of the PDPA tests: the Chiang Rai office and a hospital, their staff, a DPO,
a person and a case about them made through the real services, and page clients in
English (pages are Thai first; the language cookie asks for English)."""

import pytest
from django.test import Client

from onehome.access.models import Role
from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.conftest import CHIANG_RAI, WIANG
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db) -> Organisation:
    org = Organisation.objects.create(
        code="pd-office", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย",
        province_id=CHIANG_RAI,
    )  # fmt: skip
    org.serves.set(Subdistrict.objects.filter(province_id=CHIANG_RAI))
    return org


@pytest.fixture
def centre(db) -> Organisation:
    org = Organisation.objects.create(
        code="pd-centre", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ช่วยเหลือสังคมเวียง",
        province_id=CHIANG_RAI, location_id=WIANG,
    )  # fmt: skip
    org.serves.add(WIANG)
    return org


@pytest.fixture
def hospital(db) -> Organisation:
    return Organisation.objects.create(
        code="pd-hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลเชียงราย", province_id=CHIANG_RAI
    )


@pytest.fixture
def social_worker(make_user, office):
    return make_user(Role.SOCIAL_WORKER, organisation=office)


@pytest.fixture
def dpo(make_user, office):
    return make_user(Role.DPO, organisation=office)


@pytest.fixture
def bangkok_dpo(make_user):
    return make_user(Role.DPO, code="10")


@pytest.fixture
def person(make_person):
    return make_person("มาลี", "ทองดี")


@pytest.fixture
def case_about(social_worker, office):
    """A case through intake and triage, with ``person`` as the one needing help, a
    reporter and an alleged offender."""

    def make(person, **kw):
        kw.setdefault("category", "elderly")
        kw.setdefault("subcategory", "elderly_bedridden")
        report = intake.create_report(
            actor=social_worker, channel="hotline", call_type="new", subdistrict=WIANG,
            reporter_name="นายผู้แจ้ง ลับมาก", reporter_phone="0899999999",
            summary="ยายอยู่ลำพัง",
            parties=[
                {"role": "victim", "person_id": person.pk},
                {"role": "alleged_offender", "name": "นายโหด ใจร้าย"},
            ],
            **kw,
        )  # fmt: skip
        return triage.accept_report(
            actor=social_worker, report_id=report.pk, version=report.version
        )

    return make


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client
