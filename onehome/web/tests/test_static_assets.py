"""The static files a page needs come from the two finders of onehome.web: Sarabun cut into
WOFF2 subsets that app.css names with matching unicode-ranges, and Bootstrap's built files
(docs/decisions/0016-static-assets-for-a-fast-first-load.md)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from onehome.web import fonts
from onehome.web.bootstrap_finder import FILES

APP_CSS = Path(__file__).resolve().parents[1] / "static" / "onehome" / "app.css"
KO_KAI, A, DIGIT_5, THAI_MARK = ord("ก"), ord("A"), ord("5"), 0x0E48  # ่ (mai ek)

# Cutting the font subsets takes a minute of CPU on CI, and no database changes it.
pytestmark = pytest.mark.once_in_ci("postgresql")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return fonts.build(tmp_path_factory.mktemp("fonts"))


def test_each_weight_is_a_small_woff2_per_script(built):
    for weight in fonts.WEIGHTS:
        thai = built / fonts.file_name(weight, "thai")
        latin = built / fonts.file_name(weight, "latin")
        for path in (thai, latin):
            assert path.read_bytes()[:4] == b"wOF2"
            assert path.stat().st_size < 16_000, path  # the whole TTF is about 90 KB
        thai_cmap = TTFont(thai).getBestCmap()
        latin_cmap = TTFont(latin).getBestCmap()
        assert KO_KAI in thai_cmap and THAI_MARK in thai_cmap and A not in thai_cmap
        assert A in latin_cmap and DIGIT_5 in latin_cmap and KO_KAI not in latin_cmap


def test_the_thai_subset_keeps_mark_positioning(built):
    font = TTFont(built / fonts.file_name(400, "thai"))
    features = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert {"mark", "mkmk"} <= features  # tone marks sit above vowels, not on them


def test_a_second_build_reuses_the_files(built):
    before = {p.name: p.stat().st_mtime_ns for p in built.iterdir()}
    fonts.build(built)
    assert {p.name: p.stat().st_mtime_ns for p in built.iterdir()} == before


def test_a_changed_recipe_rebuilds(built, tmp_path):
    fonts.build(tmp_path)
    (tmp_path / "recipe.txt").write_text("an older recipe")
    (tmp_path / fonts.file_name(400, "thai")).write_bytes(b"stale")
    fonts.build(tmp_path)
    assert (tmp_path / fonts.file_name(400, "thai")).read_bytes()[:4] == b"wOF2"


def test_app_css_names_every_subset_with_its_range():
    faces = re.findall(r"@font-face\s*{([^}]*)}", APP_CSS.read_text())
    found = set()
    for face in faces:
        name = re.search(r'url\("\.\./vendor/sarabun/([^"]+)"\)', face).group(1)
        weight = int(re.search(r"font-weight:\s*(\d+)", face).group(1))
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", face).group(1)
        script = next(s for s in fonts.UNICODE_RANGES if name == fonts.file_name(weight, s))
        assert unicode_range.strip() == fonts.UNICODE_RANGES[script], name
        assert "font-display: swap" in face and 'format("woff2")' in face
        found.add(name)
    assert found == {fonts.file_name(w, s) for w in fonts.WEIGHTS for s in fonts.UNICODE_RANGES}


def test_the_finders_find_the_fonts_and_bootstrap():
    font = finders.find(f"{fonts.PREFIX}/{fonts.file_name(700, 'thai')}")
    assert font and Path(font).read_bytes()[:4] == b"wOF2"
    assert finders.find(f"{fonts.PREFIX}/Sarabun-Regular.ttf") is None
    css = finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert css and "Bootstrap  v5.3" in Path(css).read_text()[:200]
    assert finders.find("vendor/bootstrap/css/bootstrap.rtl.min.css") is None
    listed = {
        f"{storage.prefix}/{name}"
        for finder in finders.get_finders()
        for name, storage in finder.list([])
        if getattr(storage, "prefix", None) in ("vendor/bootstrap", fonts.PREFIX)
    }
    assert {f"vendor/bootstrap/{name}" for name in FILES} <= listed
    assert f"{fonts.PREFIX}/{fonts.file_name(400, 'latin')}" in listed


def test_no_flask_in_production():
    """Bootstrap used to come from bootstrap-flask, which brought Flask and WTForms along."""
    text = (Path(__file__).resolve().parents[3] / "pyproject.toml").read_text()
    dependencies = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "flask" not in dependencies.lower()
