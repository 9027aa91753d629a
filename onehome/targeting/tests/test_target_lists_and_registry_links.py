"""The target list is scoped to the user's area, exports as CSV and Excel (audited), and
links survey households to registry households, creating one with its members once."""

import csv
import io

import pytest
from openpyxl import load_workbook

from onehome.access.models import AuditEvent, Role
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Household, Membership, Person
from onehome.targeting.results import registry_links, target_lists
from onehome.targeting.tests import finished


def ids(page):
    return [r["household_id"] for r in page.rows]


def test_target_list_holds_target_households_of_the_users_area(run, worker, make_user):
    assert ids(target_lists.target_households(user=worker, run=run)) == ["H1"]
    everyone = target_lists.target_households(user=worker, run=run, only_target=False)
    assert ids(everyone) == ["H1", "H3"]
    nation = make_user(Role.SOCIAL_WORKER, level="nation", code="")
    assert ids(target_lists.target_households(user=nation, run=run)) == ["HB", "H1"]
    row = target_lists.target_households(user=worker, run=run).rows[0]
    assert set(row["dimensions"]) == {"income", "access"}
    assert set(row["indicators"]) == {"bmn20", "bmn22", "bmn27"}


def test_outsiders_see_none_and_analysts_are_refused(run, outsider, make_user):
    bangkok = target_lists.target_households(user=outsider, run=run)
    assert ids(bangkok) == ["HB"]
    with pytest.raises(NotInScopeError):
        target_lists.target_households(user=make_user(Role.ANALYST), run=run)


def test_csv_export_has_the_rows_and_is_audited(run, worker, english):
    content, content_type, name = target_lists.export_target_list(user=worker, run=run)
    assert content_type.startswith("text/csv") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["Survey household ID"] for r in rows] == ["H1"]
    assert rows[0]["Village code"] == "57010101" and rows[0]["Welfare card"] == "Has a card"
    event = AuditEvent.objects.get(object_type="targeting.targetlist")
    assert event.action == "export" and event.after["rows"] == 1


def test_excel_export_opens_with_the_same_rows(run, worker, english):
    content, _type, name = target_lists.export_target_list(
        user=worker, run=run, fmt="xlsx", only_target=False
    )
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.values)
    assert values[0][0] == "Survey household ID" and [v[0] for v in values[1:]] == ["H1", "H3"]
    assert name.endswith(".xlsx")


def test_linking_creates_the_household_with_members_once(run, worker):
    household, created = registry_links.link_household(
        actor=worker, run_id=run.pk, household_id="H1"
    )
    assert created and household.subdistrict_id == "570101"
    assert household.village_id == "57010101"
    members = Membership.objects.filter(household=household, end_date__isnull=True)
    assert sorted(m.person.id_number for m in members) == sorted(
        [finished.KEY_H1_ELDER, finished.KEY_H1_ADULT]
    )
    assert members.get(relationship="head").person.id_number == finished.KEY_H1_ELDER
    again, created_again = registry_links.link_household(
        actor=worker, run_id=run.pk, household_id="H1"
    )
    assert again.pk == household.pk and not created_again
    assert Household.objects.count() == 1 and Person.objects.count() == 2
    row = target_lists.target_households(user=worker, run=run).rows[0]
    assert row["registry_household"] == household.pk


def test_a_household_without_ids_is_linked_once_too(run, worker):
    first, created = registry_links.link_household(actor=worker, run_id=run.pk, household_id="H3")
    second, created_again = registry_links.link_household(
        actor=worker, run_id=run.pk, household_id="H3"
    )
    assert created and not created_again and first.pk == second.pk
    assert Person.objects.get().id_type == "none"


def test_linking_matches_an_existing_registry_household(run, worker, make_person, make_household):
    elder = make_person("บุญมา", "ใจดี", id_number=finished.KEY_H1_ELDER)
    home = make_household(village="57010101")
    from onehome.registry import services

    services.add_member(actor=worker, household_id=home.pk, person_id=elder.pk, relationship="head")
    household, created = registry_links.link_household(
        actor=worker, run_id=run.pk, household_id="H1"
    )
    assert household.pk == home.pk and not created


def test_linking_needs_a_registry_writer_in_the_area(run, outsider, make_user):
    with pytest.raises(NotInScopeError):
        registry_links.link_household(actor=outsider, run_id=run.pk, household_id="H1")
    # Volunteers write the registry only in the villages of their working record (issue
    # 16); a volunteer login without one is told so, and nothing is linked.
    volunteer = make_user(Role.VOLUNTEER)
    with pytest.raises(ValidationError):
        registry_links.link_household(actor=volunteer, run_id=run.pk, household_id="H1")
    assert Household.objects.count() == 0


def test_pages_list_export_and_link(client, run, worker, outsider):
    client.force_login(worker)
    page = client.get(f"/targeting/runs/{run.pk}/households/")
    link = f"/targeting/runs/{run.pk}/households/H1/"  # a bare "H1" can occur in the CSRF token
    assert page.status_code == 200 and link in page.content.decode()
    export = client.get(f"/targeting/runs/{run.pk}/households/export/?format=xlsx")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xlsx"')
    response = client.post(f"/targeting/runs/{run.pk}/households/H1/link/")
    assert response.status_code == 302
    assert response["Location"] == f"/people/households/{Household.objects.get().pk}/"
    client.force_login(outsider)
    assert client.post(f"/targeting/runs/{run.pk}/households/H3/link/").status_code == 404
    listing = client.get(f"/targeting/runs/{run.pk}/households/?area=57")
    assert link not in listing.content.decode()


def test_registry_links_of_many_households_in_a_fixed_number_of_queries(
    run, worker, make_person, make_household, django_assert_max_num_queries
):
    from onehome.registry import services

    linked, _ = registry_links.link_household(actor=worker, run_id=run.pk, household_id="H3")
    homes, keys = [], []
    for n in range(6):  # six survey households matched through a member's national ID
        person = make_person("สมาชิก", f"ที่{n}")
        home = make_household(village="57010101")
        services.add_member(
            actor=worker, household_id=home.pk, person_id=person.pk, relationship="head"
        )
        homes.append(home.pk)
        keys.append(person.id_number)
    registered = make_household(village="57010101", registration_no="57010100123")
    survey = [("57010101", "H3", [])]
    survey += [("57010101", f"S{n}", [f"card:{keys[n]}", ""]) for n in range(6)]
    survey += [("57010101", "57010100123", []), ("57010101", "nobody", ["3100000000001"])]
    with django_assert_max_num_queries(4):  # links, their households, members, numbers
        found = registry_links.linked_household_ids(survey)
    expected = {"H3": linked.pk, "57010100123": registered.pk}
    expected |= {f"S{n}": homes[n] for n in range(6)}
    assert found == expected
    # The one-household look-up answers the same, household by household.
    for village, household, person_keys in survey:
        one = registry_links.linked_household_id(
            household_id=household,
            person_keys=person_keys,
            village_code=village,
        )
        assert one == expected.get(household)


def test_back_from_the_whole_list_leads_to_the_users_own_area(client, run, worker, make_user):
    client.force_login(worker)  # Chiang Rai's worker
    body = client.get(f"/targeting/runs/{run.pk}/households/").content.decode()
    assert f'href="/targeting/runs/{run.pk}/areas/57/"' in body
    client.force_login(make_user(Role.SOCIAL_WORKER, level="nation", code=""))
    body = client.get(f"/targeting/runs/{run.pk}/households/").content.decode()
    assert f'href="/targeting/runs/{run.pk}/areas/"' in body
