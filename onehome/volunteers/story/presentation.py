"""What the story page and the API show besides the records: links to the rooms' own
pages (only those that exist: a room that has no page for it yet gives no link), the
record book as a chart (deprived answers per dimension per visit), and the deprivations
grouped by dimension."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.models import Dimension
from onehome.errors import ValidationError
from onehome.volunteers.story.selectors import DIMENSIONS, Story
from onehome.volunteers.visits import questionnaire

# The shade of a cell by the share of its answers that meant deprived (light = none).
SHADES = ("#e8f5e9", "#fdd0a2", "#fd8d3c", "#c44000")


def link(name: str, *args: Any) -> str:
    """The URL of a named page, or "" when no such page exists (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def book_chart(story: Story) -> list[dict[str, Any]]:
    """One row per dimension, one cell per visit (oldest first): deprived answers out of
    those given, and a shade for the share."""
    labels = dict(Dimension.choices)
    rows = []
    for dim in DIMENSIONS:
        cells = []
        for point in story.book:
            answered, deprived = point.answered[dim], point.deprived[dim]
            share = deprived / answered if answered else None
            shade = "" if share is None else SHADES[min(3, round(share * 3))]
            cells.append({"on": point.visited_on, "deprived": deprived, "answered": answered,
                          "shade": shade})  # fmt: skip
        rows.append({"dimension": dim, "label": labels.get(dim, dim), "cells": cells})
    return rows


def deprivations_by_dimension(story: Story) -> list[dict[str, Any]]:
    """The indicators the run found failed, grouped by dimension."""
    if story.deprivations is None:
        return []
    labels = dict(Dimension.choices)
    return [
        {
            "dimension": dim,
            "label": labels.get(dim, dim),
            "indicators": [f for f in story.deprivations.failures if f.dimension == dim],
        }
        for dim in DIMENSIONS
        if dim in story.deprivations.dimensions
    ]


def need_labels(visit) -> list[str]:
    """The needs a visit found, in words of the questionnaire it answered (codes when the
    edition is unknown)."""
    try:
        form = questionnaire.get(visit.questionnaire)
    except ValidationError:
        return list(visit.needs)
    return [form.need_label(code) for code in visit.needs]


def page_parts(user: User, story: Story) -> dict[str, Any]:
    h = story.household
    links = {
        "household": link("registry:household", h.pk) if may(user, Action.READ_PERSONAL_DATA)
        else "",
        "visit_new": link("volunteers:visit_new", h.pk) if may(user, Action.VISIT_HOUSEHOLDS)
        else "",
        "plan": link("volunteers:development_plan", h.pk),
        "record_book": link("volunteers:visit_record_book", h.pk),
        "course": link("volunteers:course_household", h.pk),
        "assign": link("volunteers:assignments_household", h.pk)
        if may(user, Action.ASSIGN_HOUSEHOLDS) else "",
        "explanation": link("targeting:household", story.run.pk, story.deprivations.household_id)
        if story.run and story.deprivations else "",
    }  # fmt: skip
    roster = may(user, Action.READ_VOLUNTEERS)
    reports = may(user, Action.READ_CASES)
    return {
        "today": timezone.localdate(),
        "links": links,
        "assignment_rows": [
            {"a": a, "url": link("volunteers:roster_detail", a.volunteer_id) if roster else ""}
            for a in story.assignments
        ],
        "help_rows": [
            {"r": r, "url": link("cases:report", r.report_id) if reports else ""}
            for r in story.help_requests
        ],
        "case_rows": [{"c": c, "url": link("cases:case", c.pk)} for c in story.cases],
        "book_rows": book_chart(story),
        "book_dates": [p.visited_on for p in story.book],
        "deprivation_groups": deprivations_by_dimension(story),
        "visit_rows": [
            {"v": v, "needs": need_labels(v), "url": link("volunteers:visit_detail", v.pk)}
            for v in story.visits
        ],
        "glass_links": [link("cases:case", pk) for pk in story.cases_behind_glass],
    }
