"""The Thai translation is complete and its compiled catalogue (committed, because a fresh
machine may have no gettext tools) says the same as the .po file."""

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
