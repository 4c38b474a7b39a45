"""Shared fixtures: personas (one per role) and a one-line builder for goal → indicator → data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from lagesbild.core.models import Area, Membership, Organisation, Role
from lagesbild.core.services import membership_set

DATA_DIR = Path(__file__).resolve().parent / "data" / "stockholm"

# The suite never needs `collectstatic`: plain static names, not the hashed manifest ones (as
# Django advises for ManifestStaticFilesStorage in tests). Set before any storage is used.
django_settings.STORAGES = {
    **django_settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _organisation(key: str, name: str, kind: str = "state_agency") -> Organisation:
    org, _ = Organisation.objects.get_or_create(key=key, defaults={"name": name, "kind": kind})
    return org


def _person(username: str, org: Organisation, role: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "lösenord-för-test")
    membership_set(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def coordinator(db) -> User:
    return _person(
        "samordnare", _organisation("lansstyrelsen", "Länsstyrelsen Stockholm"), Role.COORDINATOR
    )


@pytest.fixture
def reporter_polisen(db) -> User:
    return _person("polisen", _organisation("polisen", "Polismyndigheten"), Role.REPORTER)


@pytest.fixture
def reporter_kriminalvarden(db) -> User:
    return _person(
        "kriminalvarden", _organisation("kriminalvarden", "Kriminalvården"), Role.REPORTER
    )


@pytest.fixture
def admin(db) -> User:
    user = User.objects.create_superuser("admin", "admin@example.org", "lösenord-för-test")
    Membership.objects.create(
        user=user,
        organisation=_organisation("lansstyrelsen", "Länsstyrelsen Stockholm"),
        role=Role.ADMIN,
    )
    return user


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def stockholm(db):
    """The real Stockholm configuration and demo figures (data/stockholm)."""
    from lagesbild.indicators.demo import load_observation_files
    from lagesbild.strategy.loader import load_config

    load_config(DATA_DIR)
    load_observation_files(DATA_DIR)
    return DATA_DIR


@pytest.fixture
def build(db):
    """`build.indicator("S1", unit="percent", values={"2023": 31, "2024": 36})` in one line."""
    from tests.builders import Builder

    return Builder()


def as_decimal(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture
def county(db) -> Area:
    country, _ = Area.objects.get_or_create(
        code="00", defaults={"name": "Riket", "level": "country"}
    )
    area, _ = Area.objects.get_or_create(
        code="01", defaults={"name": "Stockholms län", "level": "county", "parent": country}
    )
    return area


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas, demo users and logins hash passwords in most tests; PBKDF2's cost (about a
    third of a second per hash) is for production, not for a test database. The production
    hashers stay after it so that users made outside a test (the browser checks' demo site, made
    once per session) can still log in."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "lagesbild.core.hashers.Argon2idHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages are keyed by a data version that a
    rolled-back test database can repeat."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run in the caller during tests (django-tasks' ImmediateBackend).

    A test that needs the real database queue (enqueue now, run by the worker later) overrides
    ``settings.TASKS`` itself.
    """
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture(autouse=True)
def _swedish_first():
    """Every test starts in the site's default language: a test that activates English (or a
    request under /en/) must not leave it active for the next test in the same worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
