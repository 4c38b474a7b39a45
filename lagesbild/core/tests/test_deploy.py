"""Deploy settings from the environment: check --deploy, hosts, the client's address behind a
proxy (axes and logs), throttling across user names, the Content Security Policy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from lagesbild.core.security import forwarded_client

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "lösenord-för-test"


def _run_settings(code: str, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ALLOWED_HOSTS", "LAGESBILD_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }  # the browser checks' conftest sets the last one for its own process; never in deployment
    base.update({"DJANGO_SETTINGS_MODULE": "lagesbild.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )


CHECK = (
    "import django, sys; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-a-long-random-secret-for-the-deploy-check-" + "y" * 20,
    "ALLOWED_HOSTS": "lagesbild.example.org",
    "DEBUG": "false",
}


def test_check_deploy_is_clean_with_https_on():
    result = _run_settings(CHECK, LAGESBILD_HTTPS="1", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_warns_without_https():
    """The check above can fail: without LAGESBILD_HTTPS the same settings warn."""
    result = _run_settings(CHECK, LAGESBILD_HTTPS="0", **PRODUCTION)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS


def test_allowed_hosts_default_has_no_testserver():
    code = "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = _run_settings(code)
    assert result.returncode == 0, result.stderr
    assert "testserver" not in result.stdout
    assert "localhost" in result.stdout


@pytest.mark.parametrize(
    ("remote", "header", "proxies", "client"),
    [
        ("10.0.0.2", "203.0.113.5", 1, "203.0.113.5"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.5", 1, "203.0.113.5"),  # left part is the client's
        ("10.0.0.3", "203.0.113.5, 10.0.0.2", 2, "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5", 0, "10.0.0.2"),  # no trusted proxy: header ignored
        ("10.0.0.2", "inte-en-adress", 1, "10.0.0.2"),
        ("10.0.0.2", "", 1, "10.0.0.2"),
    ],
)
def test_client_address_from_trusted_proxies_only(remote, header, proxies, client):
    assert forwarded_client(remote, header, proxies) == client


def _login(client, username, password, xff=None):
    extra = {"REMOTE_ADDR": "10.0.0.2"}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(
        "/konto/logga-in/", {"username": username, "password": password}, **extra
    ).status_code


@pytest.mark.django_db
def test_behind_a_proxy_lockout_hits_the_attacker_not_the_user(settings, reporter_kriminalvarden):
    settings.LAGESBILD_TRUSTED_PROXIES = 1
    attacker = Client()
    statuses = [_login(attacker, "kriminalvarden", "fel", "203.0.113.66") for _ in range(5)]
    assert statuses[-1] == 429
    # the real user comes through the same proxy (same REMOTE_ADDR) from another address
    assert _login(Client(), "kriminalvarden", PASSWORD, "198.51.100.7") == 302
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


@pytest.mark.django_db
def test_without_trusted_proxy_a_forged_header_does_not_escape_the_lockout(
    settings, reporter_kriminalvarden
):
    settings.LAGESBILD_TRUSTED_PROXIES = 0
    statuses = [_login(Client(), "kriminalvarden", "fel", f"203.0.113.{i}") for i in range(1, 6)]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_one_password_across_many_user_names_is_throttled_per_address(reporter_kriminalvarden):
    client = Client()
    statuses = [_login(client, f"gissning{i}", "Sommar2026!") for i in range(5)]
    assert statuses[-1] == 429
    # the address is locked: even a right password for a real account is refused from it
    assert _login(client, "kriminalvarden", PASSWORD) == 429
    assert _login(Client(), "kriminalvarden", PASSWORD, None) == 429  # same REMOTE_ADDR


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/stod/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "lagesbild").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
            if "src=" not in match.group(1):
                offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text, re.I) or "javascript:" in text.lower():
            offenders.append(f"{path}: event handler or javascript: URL")
    assert offenders == []
