"""Bootstrap 5's built CSS and JS, taken from the django-include-bootstrap wheel
(docs/decisions/0016-static-assets-for-a-fast-first-load.md).

The wheel holds 44 files (8 MB: right-to-left, ES-module, grid-only builds and their source
maps); the pages use two. Only those two and their source maps are found and collected,
under vendor/bootstrap/, so collectstatic hashes and compresses 1.3 MB instead of 8 MB.
The package is not in INSTALLED_APPS: its base.html template would otherwise be found.
"""

from pathlib import Path

import django_include_bootstrap
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/bootstrap"
SOURCE_DIR = Path(django_include_bootstrap.__file__).parent / "static"
FILES = (
    "css/bootstrap.min.css",
    "css/bootstrap.min.css.map",  # named by the CSS: the manifest storage checks it exists
    "js/bootstrap.min.js",
    "js/bootstrap.min.js.map",
)


class BootstrapFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=SOURCE_DIR)
        self.storage.prefix = PREFIX  # collectstatic copies the files under this folder

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)  # Django < 6.1 may say `all`
        name = path.removeprefix(PREFIX + "/")
        if name == path or name not in FILES:
            return []  # as Django's finders answer "not here", whatever find_all says
        found = str(SOURCE_DIR / name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for name in FILES:
            if not matches_patterns(name, ignore_patterns or []):
                yield name, self.storage

    def check(self, **kwargs):
        missing = [name for name in FILES if not (SOURCE_DIR / name).exists()]
        if missing:
            return [
                Error(f"django-include-bootstrap lacks {', '.join(missing)}", id="onehome.E016")
            ]
        return []
