"""The Thai translation is complete and its compiled catalogue (committed, because a fresh
machine may have no gettext tools) says the same as the .po file."""

import ast
import re
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "onehome" / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _catalogue(entries) -> dict:
    out = {}
    for e in entries:
        if e.obsolete or not e.msgid:
            continue
        key = (e.msgctxt, e.msgid, e.msgid_plural)
        out[key] = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) or (e.msgstr,)
    return out


def test_every_message_has_a_thai_translation():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1")


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(compiled))
    assert _catalogue(polib.mofile(str(compiled))) == _catalogue(polib.mofile(str(MO))), (
        "run: python manage.py compilemessages --ignore=.venv"
    )


def test_named_placeholders_survive_translation():
    def names(text: str) -> list[str]:
        return sorted(part.split(")")[0] for part in text.split("%(")[1:])

    for e in polib.pofile(str(PO)):
        for text in [e.msgstr, *e.msgstr_plural.values()]:
            if text:
                assert names(text) == names(e.msgid), e.msgid


_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
_TEMPLATE_TRANSLATE = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.+?)\1""")


def _msgids_in_code() -> set[str]:
    """Every literal message the code and the templates mark for translation (plain
    `_()`/`gettext_lazy()` calls and `{% translate "…" %}`; plurals and blocks aside)."""
    root = Path(settings.BASE_DIR) / "onehome"
    found = set()
    for path in root.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _GETTEXT_NAMES
                and node.args
                and isinstance(node.args[-1], ast.Constant)
                and isinstance(node.args[-1].value, str)
            ):
                found.add(node.args[-1].value)
    for path in root.rglob("templates/**/*.html"):
        found.update(m.group(2) for m in _TEMPLATE_TRANSLATE.finditer(path.read_text("utf-8")))
    return found


def test_every_message_in_the_code_is_in_the_catalogue():
    """A message added to the code without `makemessages` shows in English on a Thai page."""
    catalogued = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(_msgids_in_code() - catalogued)
    assert missing == [], "run: python manage.py makemessages -l th --ignore=.venv --ignore=bench"
