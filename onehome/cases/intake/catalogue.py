"""The hotline's issue catalogue (`data/categories.yaml`): the 10 official issues of the 1300
hotline, each with its sub-problems, read once per process.

The catalogue is data so that adding a sub-problem is a one-line change. Codes are stored on
reports and cases; labels are looked up here in the active language (Thai unless English).
Sensitivity is decided here too, by one rule (`is_sensitive`): a report is sensitive when
its issue or sub-problem is marked ``sensitive: true`` or when a sensitive risk is ticked
(`data/sensitive_risks.yaml`: sexual abuse, violence, trafficking). Intake stores the
answer on the report, triage passes it to the case, and the sensitive-case rule of
`visibility.selectors` protects both.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onehome.errors import ValidationError

CATALOGUE_FILE = Path(__file__).parent / "data" / "categories.yaml"
SENSITIVE_RISKS_FILE = Path(__file__).parent / "data" / "sensitive_risks.yaml"


@dataclass(frozen=True)
class SubProblem:
    code: str
    th: str
    en: str
    sensitive: bool

    @property
    def label(self) -> str:
        return _label(self.th, self.en)


@dataclass(frozen=True)
class Issue:
    code: str
    th: str
    en: str
    sensitive: bool
    subs: tuple[SubProblem, ...]

    @property
    def label(self) -> str:
        return _label(self.th, self.en)

    def sub(self, code: str) -> SubProblem | None:
        return next((s for s in self.subs if s.code == code), None)


def _label(th: str, en: str) -> str:
    return en if get_language() == "en" and en else th


@functools.cache
def _catalogue() -> dict[str, Issue]:
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    issues: dict[str, Issue] = {}
    for item in raw:
        sensitive = bool(item.get("sensitive", False))
        subs = tuple(
            SubProblem(
                code=s["code"],
                th=s["th"],
                en=s.get("en", ""),
                # A sub-problem can be sensitive inside an ordinary issue, never the reverse.
                sensitive=sensitive or bool(s.get("sensitive", False)),
            )
            for s in item.get("sub", [])
        )
        issues[item["code"]] = Issue(
            code=item["code"], th=item["th"], en=item.get("en", ""), sensitive=sensitive, subs=subs
        )
    return issues


def issues() -> list[Issue]:
    """The issues in the catalogue's order."""
    return list(_catalogue().values())


def issue(code: str) -> Issue | None:
    return _catalogue().get(code)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every issue, for forms."""
    return [(i.code, i.label) for i in issues()]


def label(category: str, subcategory: str = "") -> str:
    """ "Issue: sub-problem" in the active language; unknown codes are shown as they are."""
    found = issue(category)
    if found is None:
        return category
    sub = found.sub(subcategory) if subcategory else None
    return f"{found.label}: {sub.label}" if sub else found.label


@functools.cache
def sensitive_risks() -> frozenset[str]:
    """Codes of the risks that make any report sensitive."""
    raw = yaml.safe_load(SENSITIVE_RISKS_FILE.read_text(encoding="utf-8")) or []
    return frozenset(str(code) for code in raw)


def is_sensitive(category: str, subcategory: str = "", risks: Iterable[str] = ()) -> bool:
    """The one rule: sensitive when the issue or sub-problem is, or a sensitive risk is
    ticked. Intake stores the answer (`Report.sensitive`); nothing else recomputes it."""
    if sensitive_risks() & set(risks or ()):
        return True
    found = issue(category)
    if found is None:
        return False
    sub = found.sub(subcategory) if subcategory else None
    return sub.sensitive if sub else found.sensitive


def validate(category: str, subcategory: str = "", *, required: bool = True) -> None:
    """Refuse unknown codes, and a sub-problem that belongs to another issue."""
    if not category:
        if required or subcategory:
            raise ValidationError(_("Choose the issue."), code="category")
        return
    found = issue(category)
    if found is None:
        raise ValidationError(_("Unknown issue %(code)s.") % {"code": category}, code="category")
    if subcategory and found.sub(subcategory) is None:
        raise ValidationError(
            _("%(sub)s is not a sub-problem of %(issue)s.")
            % {"sub": subcategory, "issue": found.label},
            code="subcategory",
        )
