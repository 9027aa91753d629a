"""Deployable as documented (issue 14, point 9): the production environment written in
docs/operations.md passes `onehome check --deploy`; personal data is never cached; the
Content-Security-Policy allows only this server's scripts."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from onehome.access.models import Role, ScopeLevel

DOCS = Path(__file__).resolve().parents[3] / "docs" / "operations.md"
TEMPLATES = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """The block of docs/operations.md that starts `# /etc/onehome.env`."""
    block = DOCS.read_text().split("# /etc/onehome.env\n", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
    assert env["ONEHOME_SECRET_KEY"].startswith("<"), "the docs must not hold a real key"
    env["ONEHOME_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def onehome(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """The `onehome` command in a fresh process with exactly this ONEHOME_* environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ONEHOME_", "DATABASE_URL"))}
    clean.update(env, ONEHOME_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="onehome.settings")
    return subprocess.run(  # noqa: S603 - this interpreter, our own command
        [sys.executable, "-c", "from onehome.cli import main; main()", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    result = onehome(
        ["check", "--deploy", "--fail-level", "WARNING"], documented_environment(), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    env = documented_environment()
    del env["ONEHOME_HTTPS"]
    result = onehome(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_https_refuses_to_start_without_a_secret_key(tmp_path):
    env = documented_environment()
    del env["ONEHOME_SECRET_KEY"]
    result = onehome(["check"], env, tmp_path)
    assert result.returncode != 0 and "ONEHOME_SECRET_KEY" in result.stderr


def test_the_settings_follow_the_environment(tmp_path):
    show = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.ONEHOME_TRUSTED_PROXIES, "
        "hasattr(s, 'CONTENT_SECURITY_POLICY'), hasattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'))"
    )
    env = documented_environment()
    production = onehome(["shell", "-c", show], env, tmp_path)
    assert production.stdout.splitlines()[-1].split() == [
        "True", "True", "True", "31536000", "True",
        "('HTTP_X_FORWARDED_PROTO',", "'https')", "['127.0.0.1']", "True", "False",
    ], production.stderr  # fmt: skip
    development = onehome(["shell", "-c", show], {"ONEHOME_CSP_REPORT_ONLY": "1"}, tmp_path)
    assert development.returncode == 0, development.stderr
    assert development.stdout.splitlines()[-1].split()[:4] == ["False", "False", "False", "0"]
    assert development.stdout.splitlines()[-1].split()[-2:] == ["False", "True"]


@pytest.mark.django_db
class TestPersonalDataIsNeverCached:
    def test_an_api_answer_with_people(self, client, worker, make_person):
        person = make_person()
        client.force_login(worker)
        for url in ("/api/people/", f"/api/people/{person.pk}/"):
            cache_control = client.get(url)["Cache-Control"]
            assert "no-store" in cache_control and "private" in cache_control, url

    def test_a_page_with_a_person(self, client, worker, make_person):
        person = make_person()
        client.force_login(worker)
        response = client.get(reverse("registry:person", args=[person.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    def test_a_refusal_of_personal_data_is_not_cached_either(self, client, outsider, make_person):
        person = make_person()
        client.force_login(outsider)
        response = client.get(f"/api/people/{person.pk}/")
        assert response.status_code == 404 and "no-store" in response["Cache-Control"]

    def test_a_page_without_personal_data_keeps_ordinary_caching(self, client, worker):
        client.force_login(worker)
        response = client.get(reverse("orgs:directory"))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_only_this_servers_scripts(client, make_user):
    client.force_login(make_user(Role.HOTLINE_OPERATOR, level=ScopeLevel.NATION, code=""))
    response = client.get(reverse("cases:intake"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_no_template_has_inline_event_handlers_or_scripts_without_a_nonce():
    """An on…= attribute or an inline <script> without the nonce would be blocked."""
    handlers = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    bare_script = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("templates/**/*.html")
        if handlers.search(path.read_text()) or bare_script.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_from_the_server(client, worker):
    client.force_login(worker)
    page = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
