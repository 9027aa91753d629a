"""A volunteer is linked only to household pages they can open: walking out from their own
pages (their record, the households assigned to them, the visit pages, the story, the help
requests, registry search of their villages), every link to a household page answers 200.
Households of their villages not assigned to them, or no longer, keep their registry page
but get no links to the volunteers' pages, which answer the volunteer 404."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.registry import services as registry
from onehome.volunteers.models import Assignment
from onehome.volunteers.tests.factories import assign, make_village, make_volunteer
from onehome.volunteers.tests.visits_support import visit

HOUSEHOLD_LINK = re.compile(r'href="(/(?:people|volunteers)/households/\d+/[^"#?]*)')


@pytest.fixture
def village_of_volunteer(worker, make_household, make_person):
    """A volunteer of village 1 with one household assigned (visited, with a head), one
    taken from them, one never theirs in the same village and one in another village, all
    of the same name so that one search finds them all."""
    volunteer = make_volunteer(worker)
    first, second = make_village(), make_village(number=2)
    homes = {
        name: make_household(village=village.code, house_no=no)
        for name, village, no in [
            ("mine", first, "1"),
            ("former", first, "2"),
            ("other", first, "3"),
            ("far", second, "4"),
        ]
    }
    for name, home in homes.items():
        head = make_person("สมศรี", f"บ้าน{name}")
        registry.add_member(actor=worker, household_id=home.pk, person_id=head.pk,
                            relationship="head", since=dt.date(2020, 1, 1))  # fmt: skip
        home.head, home.volunteer = head, volunteer
    assign(volunteer, homes["mine"], by=worker)
    visit(homes["mine"])
    taken = assign(volunteer, homes["former"], by=worker)
    visit(homes["former"])
    Assignment.objects.filter(pk=taken.pk).update(ended_at=timezone.now())
    return volunteer, homes


def _walk(client, start, depth=2):
    """Every household link reachable from ``start`` within ``depth`` clicks: {url: where}."""
    found, frontier = {}, [(url, "start") for url in start]
    for _step in range(depth):
        later = []
        for url, where in frontier:
            page = client.get(url)
            assert page.status_code == 200, (url, where)
            for link in set(HOUSEHOLD_LINK.findall(page.content.decode())):
                if link not in found and "/photo/" not in link:
                    found[link] = url
                    later.append((link, url))
        frontier = later
    return found


def test_every_household_link_a_volunteer_sees_opens(client, village_of_volunteer):
    volunteer, homes = village_of_volunteer
    mine = homes["mine"].pk
    client.force_login(volunteer.user)
    start = [
        reverse("volunteers:roster_mine"),
        reverse("volunteers:visit_help_list"),
        reverse("volunteers:story_household", args=[mine]),
        reverse("volunteers:visit_record_book", args=[mine]),
        reverse("volunteers:development_plan", args=[mine]),
        reverse("registry:search") + "?q=สมศรี",
        reverse("registry:households") + "?q=สมศรี",
        *(reverse("registry:household", args=[h.pk]) for h in homes.values()),
    ]
    links = _walk(client, start)
    assert reverse("volunteers:visit_record_book", args=[mine]) in links  # the walk works
    bad = {link: where for link, where in links.items() if client.get(link).status_code != 200}
    assert bad == {}
    for name in ("former", "other", "far"):
        pk = homes[name].pk
        assert not [link for link in links if link.startswith(f"/volunteers/households/{pk}/")]
        assert client.get(reverse("volunteers:visit_record_book", args=[pk])).status_code == 404


def test_staff_still_get_the_links_of_every_household_of_their_area(
    client, worker, village_of_volunteer
):
    _volunteer, homes = village_of_volunteer
    client.force_login(worker)
    for home in homes.values():
        page = client.get(reverse("registry:household", args=[home.pk])).content.decode()
        assert reverse("volunteers:visit_record_book", args=[home.pk]) in page
