"""The goal form says whose plan it is: the household (linked) and where it lives, and
the hint on who helps stands beside the helper fields."""

import pytest
from django.urls import reverse

from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import start

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def test_the_goal_form_names_the_household(client, home, staff):
    start(home)
    client.force_login(staff)
    page = client.get(reverse("volunteers:development_goal_add", args=[home.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("registry:household", args=[home.pk]) in html
    hint = html.index("Choose who helps")
    assert html.index('name="volunteer"') < hint < html.index('name="due_date"')
