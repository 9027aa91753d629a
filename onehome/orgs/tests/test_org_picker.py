"""The organisation picker's suggestions (/directory/pick/): by name, with kind and
district, those serving the case's area first, only what the form offers."""

import re

import pytest
from django.urls import reverse

from onehome.conftest import WIANG
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db

URL = "/directory/pick/"


@pytest.fixture
def orgs():
    far = Organisation.objects.create(
        code="far", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57", location_id="570301",
    )  # fmt: skip
    far.serves.add("570301")
    near = Organisation.objects.create(
        code="near", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ช่วยเหลือสังคมตำบลเวียง",
        province_id="57", location_id=WIANG,
    )  # fmt: skip
    near.serves.add(WIANG)
    hospital = Organisation.objects.create(
        code="hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลเชียงราย",
        name_en="Chiang Rai Hospital", province_id="57",
    )  # fmt: skip
    closed = Organisation.objects.create(
        code="closed", kind=OrgKind.NGO, name_th="มูลนิธิไม่รับส่งต่อ", province_id="57",
        accepts_referrals=False,
    )  # fmt: skip
    bkk = Organisation.objects.create(
        code="bkk", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลกรุงเทพ", province_id="10"
    )
    return {"far": far, "near": near, "hospital": hospital, "closed": closed, "bkk": bkk}


@pytest.fixture
def wclient(client, worker):
    client.force_login(worker)
    return client


def ids(response) -> list[int]:
    return [int(v) for v in re.findall(r'data-value="(\d+)"', response.content.decode())]


def test_url():
    assert reverse("orgs:pick") == URL


def test_the_one_serving_the_case_area_comes_first_with_its_district(wclient, orgs):
    response = wclient.get(
        URL, {"q": "ศูนย์", "purpose": "referral", "area": WIANG, "province": "57"}
    )
    assert ids(response)[:2] == [orgs["near"].pk, orgs["far"].pk]
    body = response.content.decode()
    assert "อำเภอเมืองเชียงราย" in body and "อำเภอเชียงของ" in body  # told apart
    assert "ศูนย์ช่วยเหลือสังคม" in body  # the kind's label
    # The other way round for a case in the other sub-district.
    response = wclient.get(URL, {"q": "ศูนย์", "purpose": "referral", "area": "570301"})
    assert ids(response)[:2] == [orgs["far"].pk, orgs["near"].pk]


def test_empty_query_suggests_the_area_s_organisations(wclient, orgs):
    found = ids(wclient.get(URL, {"purpose": "referral", "area": WIANG, "province": "57"}))
    assert found[0] == orgs["near"].pk
    assert orgs["bkk"].pk not in found


def test_english_name_and_form_rules(wclient, orgs):
    found = ids(wclient.get(URL, {"q": "hospital", "purpose": "referral", "province": "57"}))
    assert found == [orgs["hospital"].pk]  # Bangkok's is outside the case's province
    found = ids(wclient.get(URL, {"q": "มูลนิธิ", "purpose": "referral"}))
    assert found == []  # does not accept referrals
    found = ids(wclient.get(URL, {"q": "ศูนย์", "purpose": "referral", "exclude": orgs["near"].pk}))
    assert orgs["near"].pk not in found
    found = ids(wclient.get(URL, {"q": "โรงพยาบาล", "purpose": "transfer"}))
    assert found == []  # transfers go to agencies and centres only
    assert ids(wclient.get(URL, {"q": "ศูนย์", "purpose": "nonsense"})) == []


def test_signed_out_users_are_sent_to_sign_in(client, orgs):
    assert client.get(URL, {"q": "ศูนย์", "purpose": "referral"}).status_code == 302


def test_the_referral_form_keeps_validating_the_choice(orgs, english):
    from onehome.cases.referrals.forms import ReferralForm

    data = {"version": 1, "need": "x", "due_at": "2099-01-01"}
    form = ReferralForm({**data, "to_org": orgs["closed"].pk})
    assert not form.is_valid() and "to_org" in form.errors
    assert "choose it from the list" in form.errors["to_org"][0]
    form = ReferralForm({**data, "to_org": "ศูนย์"})
    assert not form.is_valid() and "to_org" in form.errors
    assert 'name="to_org"' in str(form["to_org"]) and "<select" not in str(form["to_org"])


def test_the_picker_shows_the_chosen_organisation(orgs):
    from onehome.cases.referrals.forms import ReferralForm

    form = ReferralForm(initial={"to_org": orgs["near"].pk}, province_id="57", area=WIANG)
    html = str(form["to_org"])
    assert "ศูนย์ช่วยเหลือสังคมตำบลเวียง · อำเภอเมืองเชียงราย" in html
    assert "area=570101" in html and "purpose=referral" in html
    assert Subdistrict.objects.filter(code=WIANG).exists()


# --- without JavaScript: the name typed in the box (to_org_text) ----------------------

REFERRAL = {"version": 1, "need": "x", "due_at": "2099-01-01", "to_org": ""}


def test_a_typed_exact_name_of_one_offered_organisation_is_accepted(orgs):
    from onehome.cases.referrals.forms import ReferralForm

    for text in ("โรงพยาบาลเชียงราย", "chiang rai hospital"):
        form = ReferralForm({**REFERRAL, "to_org_text": text}, province_id="57", area=WIANG)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["to_org"] == orgs["hospital"]


def test_a_typed_name_the_form_does_not_offer_is_refused(orgs, english):
    from onehome.cases.referrals.forms import ReferralForm

    # Not taking referrals, in another province, or only part of a name.
    for text in ("มูลนิธิไม่รับส่งต่อ", "โรงพยาบาลกรุงเทพ", "โรงพยาบาล"):
        form = ReferralForm({**REFERRAL, "to_org_text": text}, province_id="57", area=WIANG)
        assert not form.is_valid()
        assert "choose it from the list" in form.errors["to_org"][0]


def test_a_typed_name_of_several_organisations_names_them_with_their_district(orgs, english):
    from onehome.cases.referrals.forms import ReferralForm

    text = "ศูนย์ช่วยเหลือสังคมตำบลเวียง"
    form = ReferralForm({**REFERRAL, "to_org_text": text}, province_id="57", area=WIANG)
    assert not form.is_valid()
    message = form.errors["to_org"][0]
    assert message.startswith(f"2 organisations are called “{text}” (")
    assert "Mueang Chiang Rai" in message and message.endswith("Choose from the list.")
    assert f'value="{text}"' in str(form["to_org"])  # shown back as typed
