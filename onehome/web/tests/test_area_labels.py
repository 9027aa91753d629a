"""Labels, not codes (issue 15): the household and person pages name the sub-district with
its district and province, as the area pickers do, instead of "เวียง (570101)"."""

from onehome.geo.models import Subdistrict
from onehome.web.templatetags.code_labels import area_label


def test_area_label_names_the_parents(db):
    wiang = Subdistrict.objects.get(code="570101")
    assert area_label(wiang) == "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย"
    assert area_label(None) == ""


def test_household_and_person_pages_name_the_area(client, worker, make_person, make_household):
    household = make_household(house_no="5")
    person = make_person()
    client.force_login(worker)
    for url in (f"/people/households/{household.pk}/", f"/people/{person.pk}/"):
        body = client.get(url).content.decode()
        assert "ตำบลเวียง › อำเภอเมืองเชียงราย" in body, url
        assert "(570101)" not in body, url
