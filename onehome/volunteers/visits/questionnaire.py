"""The family record book's questions as versioned data (`questionnaires/<version>.yaml`).

A visit is answered against the questionnaire in force that day and stores its version, so
a later edition (new questions, a new income threshold) never changes what an old visit
meant. Each question says when its answer means the household is deprived, linked to the
TPMAP (จปฐ.) indicator it asks where there is one; the record book counts those per
dimension. The files are read once per process and checked when read: a broken file fails
loudly at start-up, not on a volunteer's phone.

`clean_answers` is the one gate every visit passes (page, API, offline sync): an unknown
question, an answer of the wrong kind or out of range is refused with a Thai message and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onehome.cases.models import Dimension
from onehome.errors import ValidationError

FOLDER = Path(__file__).resolve().parent / "questionnaires"
KINDS = ("yes_no", "number", "choice", "text")
TEXT_MAX = 500
_YES = {"true", "yes", "1", "on", "ใช่", "มี"}
_NO = {"false", "no", "0", "off", "ไม่ใช่", "ไม่มี"}


class QuestionnaireError(Exception):
    """A questionnaire file that breaks the rules above (a programming error, not a user's)."""


@dataclass(frozen=True)
class Question:
    id: str
    dimension: str
    kind: str
    label_th: str
    label_en: str
    choices: tuple[str, ...] = ()
    choice_labels: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    indicator: str = ""
    deprived_rule: dict[str, Any] = field(default_factory=dict, compare=False)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int = TEXT_MAX

    @property
    def label(self) -> str:
        return self.label_en if _english() and self.label_en else self.label_th

    def choice_label(self, value: str) -> str:
        th, en = self.choice_labels.get(value, (value, value))
        return en if _english() and en else th

    def is_deprived(self, value: Any) -> bool | None:
        """Whether ``value`` (cleaned) means deprived; None when the question has no rule
        or was not answered."""
        rule = self.deprived_rule
        if not rule or value is None:
            return None
        if "when" in rule:
            return value is rule["when"]
        if "in" in rule:
            return value in rule["in"]
        if "lt" in rule:
            return Decimal(str(value)) < Decimal(str(rule["lt"]))
        return Decimal(str(value)) > Decimal(str(rule["gt"]))

    def as_dict(self) -> dict[str, Any]:
        """The question as the API and the phone app read it."""
        return {
            "id": self.id,
            "dimension": self.dimension,
            "indicator": self.indicator or None,
            "kind": self.kind,
            "label_th": self.label_th,
            "label_en": self.label_en,
            "choices": [
                {
                    "value": c,
                    "label_th": self.choice_labels[c][0],
                    "label_en": self.choice_labels[c][1],
                }
                for c in self.choices
            ],
            "min": None if self.minimum is None else float(self.minimum),
            "max": None if self.maximum is None else float(self.maximum),
            "deprived": self.deprived_rule or None,
        }


@dataclass(frozen=True)
class Questionnaire:
    version: str
    label_th: str
    label_en: str
    in_force_from: dt.date
    questions: tuple[Question, ...]
    # Need code → (Thai, English): what the volunteer may tick as found.
    needs: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return self.label_en if _english() and self.label_en else self.label_th

    def need_label(self, code: str) -> str:
        th, en = self.needs.get(code, (code, code))
        return en if _english() and en else th

    def need_choices(self) -> list[tuple[str, str]]:
        return [(code, self.need_label(code)) for code in self.needs]

    def clean_needs(self, needs: Any) -> list[str]:
        """The needs as known codes, each once, in the order given."""
        if needs in (None, ""):
            return []
        if isinstance(needs, str) or not isinstance(needs, list | tuple):
            raise ValidationError(_("The needs must be a list."), code="needs")
        codes = [str(n).strip() for n in needs if str(n).strip()]
        unknown = [c for c in codes if c not in self.needs]
        if unknown:
            raise ValidationError(
                _("Unknown need %(code)s (known: %(known)s).")
                % {"code": ", ".join(unknown), "known": ", ".join(self.needs)},
                code="needs",
            )
        return list(dict.fromkeys(codes))

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def by_dimension(self) -> list[tuple[str, str, list[Question]]]:
        """(dimension, its label, its questions) in the dimensions' order."""
        return [
            (value, str(label), [q for q in self.questions if q.dimension == value])
            for value, label in Dimension.choices
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "label_th": self.label_th,
            "label_en": self.label_en,
            "in_force_from": self.in_force_from.isoformat(),
            "dimensions": [{"id": v, "label": str(label)} for v, label in Dimension.choices],
            "questions": [q.as_dict() for q in self.questions],
            "needs": [
                {"value": c, "label_th": th, "label_en": en} for c, (th, en) in self.needs.items()
            ],
        }

    def clean_answers(self, answers: Any) -> dict[str, Any]:
        """The answers checked and normalised (booleans, numbers, choice values, trimmed
        text); unanswered questions (blank or null) are left out. Raises ValidationError
        naming every problem at once."""
        if not isinstance(answers, dict):
            raise ValidationError(_("The answers must be a list of question and answer."))
        problems: list[str] = []
        cleaned: dict[str, Any] = {}
        for key, raw in answers.items():
            question = self.question(str(key))
            if question is None:
                problems.append(
                    _("Question %(id)s is not in questionnaire %(version)s.")
                    % {"id": key, "version": self.version}
                )
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                cleaned[question.id] = _clean(question, raw)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems, code="answers")
        return cleaned


def _english() -> bool:
    return (get_language() or "th").startswith("en")


def _clean(question: Question, raw: Any) -> Any:
    name = {"q": question.label}
    if question.kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValidationError(_("Answer yes or no to “%(q)s”.") % name)
    if question.kind == "number":
        if isinstance(raw, bool):
            raise ValidationError(_("Answer “%(q)s” with a number.") % name)
        try:
            number = Decimal(str(raw).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Answer “%(q)s” with a number.") % name) from None
        if not number.is_finite():
            raise ValidationError(_("Answer “%(q)s” with a number.") % name)
        low, high = question.minimum, question.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValidationError(
                _("The answer to “%(q)s” must be from %(min)s to %(max)s.")
                % {**name, "min": f"{low:,}", "max": f"{high:,}"}
            )
        return int(number) if number == number.to_integral_value() else float(number)
    if question.kind == "choice":
        value = str(raw).strip()
        if value not in question.choices:
            raise ValidationError(
                _("“%(value)s” is not one of the answers to “%(q)s”.") % {**name, "value": value}
            )
        return value
    text = str(raw).strip()
    if len(text) > question.max_length:
        raise ValidationError(
            _("The answer to “%(q)s” is longer than %(n)d characters.")
            % {**name, "n": question.max_length}
        )
    return text


# --- reading the files ------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _question(raw: dict, labels: dict[str, tuple[str, str]], where: str) -> Question:
    qid = str(raw.get("id") or "")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", qid):
        raise QuestionnaireError(f"{where}: bad question id {qid!r}")
    where = f"{where}: {qid}"
    kind, dimension = raw.get("kind"), raw.get("dimension")
    if kind not in KINDS:
        raise QuestionnaireError(f"{where}: unknown kind {kind!r}")
    if dimension not in Dimension.values:
        raise QuestionnaireError(f"{where}: unknown dimension {dimension!r}")
    if not raw.get("label_th") or not raw.get("label_en"):
        raise QuestionnaireError(f"{where}: needs label_th and label_en")
    choices = tuple(str(c) for c in raw.get("choices") or ())
    if (kind == "choice") != bool(choices):
        raise QuestionnaireError(f"{where}: choices are for (and required by) kind choice")
    for c in choices:
        if c not in labels:
            raise QuestionnaireError(f"{where}: choice {c!r} has no label in choice_labels")
    rule = dict(raw.get("deprived") or {})
    expected = {"yes_no": {"when"}, "choice": {"in"}, "number": {"lt", "gt"}, "text": set()}[kind]
    if rule and (len(rule) != 1 or not set(rule) <= expected):
        raise QuestionnaireError(f"{where}: rule {rule} does not fit kind {kind}")
    if "when" in rule and not isinstance(rule["when"], bool):
        raise QuestionnaireError(f"{where}: rule 'when' takes true or false")
    if "in" in rule and not set(map(str, rule["in"])) <= set(choices):
        raise QuestionnaireError(f"{where}: rule names a value that is not a choice")
    return Question(
        id=qid,
        dimension=dimension,
        kind=kind,
        label_th=str(raw["label_th"]),
        label_en=str(raw["label_en"]),
        choices=choices,
        choice_labels={c: labels[c] for c in choices},
        indicator=str(raw.get("indicator") or ""),
        deprived_rule=rule,
        minimum=_decimal(raw.get("min")),
        maximum=_decimal(raw.get("max")),
        max_length=int(raw.get("max_length") or TEXT_MAX),
    )


def load(path: Path) -> Questionnaire:
    """A questionnaire file read and checked (QuestionnaireError when it breaks a rule)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    version = str(raw.get("version") or "")
    if version != path.stem:
        raise QuestionnaireError(f"{path.name}: version {version!r} differs from the file name")
    labels = {
        str(k): (str(v.get("th", k)), str(v.get("en", k)))
        for k, v in (raw.get("choice_labels") or {}).items()
    }
    questions = tuple(_question(q, labels, path.name) for q in raw.get("questions") or ())
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)) or not ids:
        raise QuestionnaireError(f"{path.name}: question ids must be present and unique")
    start = raw.get("in_force_from")
    if not isinstance(start, dt.date):
        raise QuestionnaireError(f"{path.name}: in_force_from must be a date")
    return Questionnaire(
        version=version,
        label_th=str(raw.get("label_th") or version),
        label_en=str(raw.get("label_en") or version),
        in_force_from=start,
        questions=questions,
        needs={
            str(k): (str(v.get("th", k)), str(v.get("en", k)))
            for k, v in (raw.get("needs") or {}).items()
        },
    )


@cache
def _all() -> dict[str, Questionnaire]:
    found = {p.stem: load(p) for p in sorted(FOLDER.glob("*.yaml"))}
    if not found:
        raise QuestionnaireError("no questionnaire in " + str(FOLDER))
    return found


def versions() -> list[str]:
    """Every version, oldest in force first."""
    return [q.version for q in sorted(_all().values(), key=lambda q: q.in_force_from)]


def current(on: dt.date | None = None) -> Questionnaire:
    """The questionnaire in force on ``on`` (today by default): the latest that started on
    or before it, else the first."""
    on = on or timezone.localdate()
    ordered = sorted(_all().values(), key=lambda q: q.in_force_from)
    started = [q for q in ordered if q.in_force_from <= on]
    return (started or ordered)[-1]


def get(version: str) -> Questionnaire:
    """An edition by version (an old visit's); ValidationError for an unknown one."""
    found = _all().get(str(version))
    if found is None:
        raise ValidationError(
            _("Unknown questionnaire version %(version)s (known: %(known)s).")
            % {"version": version, "known": ", ".join(versions())},
            code="questionnaire",
        )
    return found
