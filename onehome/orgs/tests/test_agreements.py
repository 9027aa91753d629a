"""Agreements (MOUs) between organisations, and the directory by area."""

import datetime as dt

import pytest

from onehome.errors import ValidationError
from onehome.orgs.models import Agreement, Organisation, OrgKind
from onehome.orgs.selectors import centres_serving, directory
from onehome.orgs.services import create_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    office = Organisation.objects.create(
        code="57-PSO", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย", province_id="57"
    )
    university = Organisation.objects.create(
        code="57-MFU", kind=OrgKind.UNIVERSITY, name_th="มหาวิทยาลัยแม่ฟ้าหลวง", province_id="57"
    )
    centre = Organisation.objects.create(
        code="FC-570101", kind=OrgKind.FAMILY_CENTRE, name_th="ศพค.เวียง", province_id="57"
    )
    centre.serves.set(["570101", "570102"])
    return office, university, centre


def test_an_agreement_needs_two_parties_and_sane_dates(orgs):
    office, university, _centre = orgs
    with pytest.raises(ValidationError):
        create_agreement(code="M1", title="t", parties=[office], signed_on=dt.date(2024, 1, 1),
                         scope="s")  # fmt: skip
    with pytest.raises(ValidationError):
        create_agreement(code="M1", title="t", parties=[office, university],
                         signed_on=dt.date(2024, 1, 1), valid_until=dt.date(2023, 1, 1),
                         scope="s")  # fmt: skip
    assert not Agreement.objects.exists()
    mou = create_agreement(code="M1", title="ความร่วมมือวิชาการ", parties=[office, university],
                           signed_on=dt.date(2024, 1, 1), scope="วิจัยและฝึกงาน",
                           provinces=["57"])  # fmt: skip
    assert set(mou.parties.all()) == {office, university}


def test_the_directory_filters_by_group_and_area(orgs):
    office, university, centre = orgs
    assert set(directory(group="centre", province="57")) == {centre}
    assert set(directory(group="partner", province="57")) == {university}
    assert set(directory(subdistrict="570102")) == {centre}
    assert list(centres_serving("570101")) == [centre]
    assert office.group == "agency" and university.group == "partner"
