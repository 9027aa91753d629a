"""The questionnaire files are checked when read: a broken edition fails loudly, and the
edition in force is chosen by its start date."""

import datetime as dt

import pytest

from onehome.volunteers.visits import questionnaire
from onehome.volunteers.visits.questionnaire import QuestionnaireError, load

GOOD = """
version: "{version}"
in_force_from: {start}
choice_labels:
  "yes": {{th: "ใช่", en: "Yes"}}
  "no": {{th: "ไม่ใช่", en: "No"}}
questions:
  - {{id: q1, dimension: health, kind: {kind}, label_th: "ก", label_en: "a", {extra}}}
"""


def _write(
    tmp_path, version="2570.1", start="2026-10-01", kind="yes_no", extra="deprived: {when: false}"
):
    path = tmp_path / f"{version}.yaml"
    path.write_text(GOOD.format(version=version, start=start, kind=kind, extra=extra), "utf-8")
    return path


def test_a_good_file_loads(tmp_path):
    edition = load(_write(tmp_path))
    assert edition.version == "2570.1" and edition.question("q1").is_deprived(False) is True


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("colour", "deprived: {when: false}"),  # unknown kind
        ("yes_no", "deprived: {lt: 3}"),  # a rule that does not fit the kind
        ("choice", "choices: ['yes', 'maybe']"),  # a choice without words
        ("number", "deprived: {in: ['x']}"),
    ],
)
def test_a_broken_file_fails_loudly(tmp_path, kind, extra):
    with pytest.raises(QuestionnaireError):
        load(_write(tmp_path, kind=kind, extra=extra))


def test_the_file_name_is_the_version(tmp_path):
    path = _write(tmp_path)
    path.rename(tmp_path / "2570.2.yaml")
    with pytest.raises(QuestionnaireError, match="differs from the file name"):
        load(tmp_path / "2570.2.yaml")


def test_the_edition_in_force_is_the_latest_started(monkeypatch, tmp_path):
    _write(tmp_path, version="2569.9", start="2025-10-01")
    _write(tmp_path, version="2570.1", start="2026-10-01")
    monkeypatch.setattr(questionnaire, "FOLDER", tmp_path)
    questionnaire._all.cache_clear()
    try:
        assert questionnaire.current(dt.date(2026, 9, 30)).version == "2569.9"
        assert questionnaire.current(dt.date(2026, 10, 1)).version == "2570.1"
        assert questionnaire.get("2569.9").in_force_from == dt.date(2025, 10, 1)
    finally:
        questionnaire._all.cache_clear()
