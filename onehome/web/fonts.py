"""Sarabun, the UI's font, as small WOFF2 files: each weight the pages use, cut into a Thai
and a Latin subset (docs/decisions/0016-static-assets-for-a-fast-first-load.md).

fontpkg-sarabun ships whole TTFs of about 90 KB each; a page needs a few weights of two
scripts. `SarabunSubsetFinder` is a staticfiles finder: the first time Django looks for
the font (collectstatic, runserver with DEBUG, the tests' static handler) it cuts the
subsets with fontTools into VAR_DIR/fonts/ (generated, never committed) and serves them
under vendor/sarabun/. app.css names the same files with the same unicode-range, so the
browser fetches only the subsets the page's text needs (a test compares the two).
"""

import hashlib
import io
import os
import threading
from importlib.metadata import version
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/sarabun"
SOURCE_DIR = Path(fontpkg_sarabun.__file__).parent / "files"

# CSS font-weight → the TTF of that weight. app.css and Bootstrap use 400, 500
# (headings, fw-medium), 600 (fw-semibold) and 700 (bold, fw-bold).
WEIGHTS = {400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold"}

# The ranges Google Fonts serves Sarabun in; "thai" also holds ฿ (U+0E3F) and the
# dotted circle a lone Thai mark is drawn on, "latin" the digits and punctuation.
UNICODE_RANGES = {
    "thai": "U+02D7, U+0303, U+0331, U+0E01-0E5B, U+200C-200D, U+25CC",
    "latin": (
        "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
        "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, "
        "U+FEFF, U+FFFD"
    ),
}


def file_name(weight: int, script: str) -> str:
    return f"sarabun-{weight}-{script}.woff2"


def code_points(unicode_range: str) -> list[int]:
    """'U+0E01-0E5B, U+25CC' → every code point it covers."""
    points: list[int] = []
    for part in unicode_range.replace(" ", "").split(","):
        first, _, last = part.removeprefix("U+").partition("-")
        points.extend(range(int(first, 16), int(last or first, 16) + 1))
    return points


def subset(weight: int, script: str) -> bytes:
    """One WOFF2 file: the glyphs of `script` with every OpenType layout feature kept
    (Thai needs its mark positioning), without hinting (modern renderers ignore it)."""
    # fontTools is loaded only when a subset must be built, once per machine, not per start.
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont  # (as above)

    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names, version: the OFL asks
    # The same bytes on every machine (no timestamp): servers that each run collectstatic
    # must agree on the hashed names.
    font = TTFont(SOURCE_DIR / f"Sarabun-{WEIGHTS[weight]}.ttf", recalcTimestamp=False)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=code_points(UNICODE_RANGES[script]))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _recipe() -> str:
    """Changes whenever the files would come out different: new ranges, weights, fontTools
    or font package."""
    parts = [repr(WEIGHTS), repr(UNICODE_RANGES), version("fonttools"), version("brotli")]
    parts += [version("fontpkg-sarabun"), Path(__file__).read_text()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


_lock = threading.Lock()


def build(out_dir: Path) -> Path:
    """Make the subsets in out_dir unless the ones there come from the same recipe. Each
    file is written under a temporary name and renamed, so two processes building at
    once (CI runs two suites side by side) never leave half a file."""
    with _lock:
        stamp = out_dir / "recipe.txt"
        recipe = _recipe()
        if stamp.exists() and stamp.read_text() == recipe:
            return out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        for weight in WEIGHTS:
            for script in UNICODE_RANGES:
                _write(out_dir / file_name(weight, script), subset(weight, script))
        _write(stamp, recipe.encode())
        return out_dir


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def font_dir() -> Path:
    return Path(settings.VAR_DIR) / "fonts"


class SarabunSubsetFinder(BaseFinder):
    """Finds vendor/sarabun/sarabun-<weight>-<script>.woff2, building them on first use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._storage: FileSystemStorage | None = None

    def _built(self) -> FileSystemStorage:
        if self._storage is None:
            storage = FileSystemStorage(location=build(font_dir()))
            storage.prefix = PREFIX  # collectstatic copies the files under this folder
            self._storage = storage
        return self._storage

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)  # Django < 6.1 may say `all`
        folder, _, name = path.rpartition("/")
        if folder != PREFIX or name not in self._names():
            return []  # as Django's finders answer "not here", whatever find_all says
        found = str(Path(self._built().location) / name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = self._built()
        for name in sorted(self._names()):
            if not matches_patterns(name, ignore_patterns or []):
                yield name, storage

    @staticmethod
    def _names() -> set[str]:
        return {file_name(w, s) for w in WEIGHTS for s in UNICODE_RANGES}
