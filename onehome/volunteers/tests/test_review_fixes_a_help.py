"""Review fix: a help request the volunteer files under no issue gets one of the 10 official
hotline issues, following the person who needs the help (the household's head): an older
person, a person with a disability, a child with no adult at home, else destitute with no
income. The catalogue stays the 10 official issues (MISSION.md)."""

import datetime as dt

import pytest

from onehome.cases.intake import catalogue
from onehome.registry.models import Membership, Person
from onehome.volunteers.models import HelpKind
from onehome.volunteers.tests import visits_support
from onehome.volunteers.tests.development_helpers import today
from onehome.volunteers.visits.forms import HelpFields
from onehome.volunteers.visits.help import DEFAULT_ISSUE, DEFAULT_ISSUE_BY_GROUP
from onehome.volunteers.visits.services import raise_help_request

home = visits_support.home
OFFICIAL = {
    "violence", "teen_pregnancy", "trafficking", "drugs", "homeless", "beggars",
    "children_youth", "missing_persons", "elderly", "disabled",
}  # fmt: skip


def born(years: int) -> dt.date:
    """A birth date `years` (and a few days) ago."""
    return today().replace(year=today().year - years) - dt.timedelta(days=3)


def ask(home, **kw):
    return raise_help_request(
        actor=home.volunteer.user, household_id=home.pk, kind=HelpKind.HELP,
        summary="ขาดรายได้ อาหารไม่พอถึงสิ้นเดือน", **kw,
    ).report  # fmt: skip


# (head's age, head's disability, the other member's age or None if they left) → issue
CASES = {
    "working-age head": (45, "", 20, ("homeless", "destitute_no_income")),
    "older head with family": (72, "", 40, ("elderly", "elderly_no_income")),
    "older head living alone": (72, "", None, ("elderly", "elderly_alone")),
    "head with a disability": (45, "physical", 20, ("disabled", "disabled_care")),
    "child head, no adult": (16, "", 12, ("children_youth", "child_neglect")),
    "child head with an adult": (16, "", 40, ("homeless", "destitute_no_income")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_default_issue_follows_the_person_needing_help(home, case):
    head_age, disability, other_age, expected = CASES[case]
    Person.objects.filter(pk=home.head.pk).update(birth_date=born(head_age), disability=disability)
    if other_age is None:
        Membership.objects.filter(household=home, person=home.child).update(end_date=today())
    else:
        Person.objects.filter(pk=home.child.pk).update(birth_date=born(other_age))
    report = ask(home)
    assert (report.category, report.subcategory) == expected
    assert report.category in OFFICIAL and not report.sensitive


def test_an_unknown_birth_date_falls_back_to_destitute_with_no_income(home):
    Person.objects.filter(pk__in=[home.head.pk, home.child.pk]).update(birth_date=None)
    report = ask(home)
    assert (report.category, report.subcategory) == DEFAULT_ISSUE


def test_an_issue_the_volunteer_names_is_kept(home):
    Person.objects.filter(pk=home.head.pk).update(birth_date=born(80))
    report = ask(home, category="disabled", subcategory="disabled_equipment")
    assert (report.category, report.subcategory) == ("disabled", "disabled_equipment")


def test_the_catalogue_is_the_ten_official_issues_and_knows_every_default():
    assert {issue.code for issue in catalogue.issues()} == OFFICIAL
    for category, subcategory in [DEFAULT_ISSUE, *DEFAULT_ISSUE_BY_GROUP.values()]:
        catalogue.validate(category, subcategory, required=True)
        assert not catalogue.is_sensitive(category)


def test_the_form_says_the_default_follows_the_person_needing_help(english):
    empty = dict(HelpFields().fields["help_issue"].choices)[""]
    assert "person who needs help" in str(empty)
