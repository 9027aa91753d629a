"""The visit pages as their users read them: the kinds of help can be chosen, a visit's
answers are grouped by dimension in the questionnaire's order, and each page names its
household."""

import re

from django.urls import reverse

from onehome.volunteers.models import HelpKind
from onehome.volunteers.tests import visits_support

home = visits_support.home
visit = visits_support.visit


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_the_help_page_offers_every_kind_of_help(client, home, worker):
    client.force_login(worker)
    html = client.get(reverse("volunteers:visit_help_new", args=[home.pk])).content.decode()
    assert _options(html, "help_kind") == list(HelpKind.values)


def test_the_visit_form_offers_no_help_or_a_kind_of_help(client, home):
    client.force_login(home.volunteer.user)
    html = client.get(reverse("volunteers:visit_new", args=[home.pk])).content.decode()
    assert _options(html, "help_kind") == ["", *HelpKind.values]


def test_a_visit_shows_its_household_and_answers_by_dimension_in_order(client, home):
    answers = {"elderly_cared_for": "yes", "home_hygienic": True, "safe_food": False}
    v = visit(home, answers=answers)
    client.force_login(home.volunteer.user)
    html = client.get(reverse("volunteers:visit_detail", args=[v.pk])).content.decode()
    assert reverse("registry:household", args=[home.pk]) in html
    # The questionnaire's order (health, living, ..., access), not the table's (by code).
    headings = re.findall(r'<h3 class="h6[^"]*">([^<]+)</h3>', html)
    assert headings == ["สุขภาพ", "ความเป็นอยู่", "การเข้าถึงบริการรัฐ"]
    order = [html.index(t) for t in ("กินอาหารถูกสุขลักษณะ", "บ้านเป็นระเบียบ", "คนอายุ 60 ปี")]
    assert order == sorted(order)
