"""The `load_demo` command into an empty province (apart from test_load_demo.py, whose tests
share one load: this one needs a province with no demo in it yet)."""

import io

from django.core.management import call_command

from onehome.access.models import Role
from onehome.demo.logins import DEMO_PASSWORD
from onehome.demo.tests.test_load_demo import _households, people_and_network_only  # noqa: F401


def test_command_prints_the_logins(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("load_demo", households=20, no_progress=True, stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "demo only" in text
    for username in [*Role.values, "worker_bkk"]:
        assert username in text
    assert _households().count() == 20
