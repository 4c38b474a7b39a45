"""Shared fixtures: personas (one per role) and a one-line builder for goal → indicator → data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from lagesbild.core.models import Area, Membership, Organisation, Role
from lagesbild.core.services import membership_set
from tests.shared_data import (
    SHARED_DATA,
    open_file,
    open_steps,
    open_world,
    shared_data_close,
    shared_data_ensure,
    wanted_steps,
)

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
    shared_data_ensure(SHARED_DATA["stockholm"])
    return DATA_DIR


@pytest.fixture
def build(db):
    """`build.indicator("S1", unit="percent", values={"2023": 31, "2024": 36})` in one line."""
    from tests.builders import Builder

    return Builder()


@pytest.fixture
def record_calls(monkeypatch):
    """`drawn = record_calls(presenters, "line_chart")`: the keyword arguments of every call of
    that function from now on, in order (the function still runs)."""

    def record(owner, name: str) -> list[dict]:
        calls, real = [], getattr(owner, name)

        def recording(*args, **kwargs):
            calls.append(kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recording)
        return calls

    return record


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


# --- Shared data (tests/shared_data.py): the Stockholm world loaded once for the tests in a row
# that need it.


@pytest.fixture(scope="session")
def _shared_data_session(django_db_setup, django_db_blocker):
    """Rolls the last world back before the test databases are dropped."""
    yield
    with django_db_blocker.unblock():
        shared_data_close()


# Files that keep one worker busy for a minute or more go out first: `--dist loadfile` hands
# files to the workers in collection order, and one of these last would leave the other worker
# idle while it runs.
SLOW_FILES = (
    "lagesbild/web/tests/test_public_crawl.py",
    "lagesbild/statusreport/tests/test_report_2025.py",
    "lagesbild/web/tests/test_explorer.py",
)


def pytest_collection_finish(session):
    """Django, the libraries and every test module are loaded: freeze them for the garbage
    collector (lagesbild/startup.py says why), so the tests' own full collections do not rescan
    a few hundred thousand objects that live until the run ends."""
    from lagesbild.startup import freeze_heap

    freeze_heap()


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOW_FILES)}
    root = Path(str(config.rootpath))
    items.sort(key=lambda item: rank.get(str(item.path.relative_to(root)), len(rank)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A world is shared within one file: it is rolled back before the next file's fixtures are
    set up, since a module fixture may write to the database (the public crawl's demo)."""
    if open_steps() is not None and open_file() != item.path:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            shared_data_close()
    yield


@pytest.fixture
def stockholm_followups(stockholm):
    """The Stockholm configuration and figures plus its 2025 follow-ups (as `lagesbild demo`)."""
    shared_data_ensure(SHARED_DATA["stockholm_followups"])
    return DATA_DIR


@pytest.fixture(autouse=True)
def _django_db_marker(request, _shared_data):
    """pytest-django's fixture of the same name (it opens the transaction of a test marked
    `django_db`), here set up after `_shared_data`, so that a marked test's transaction opens
    inside the shared world and not around it."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.fixture(autouse=True)
def _shared_data(request, _fast_password_hashing, _tasks_run_at_once, _fresh_cache):
    """Opens the shared world this test asks for (tests/shared_data.py) before the test's own
    transaction, or rolls back an open one the test must not see."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        names & {"transactional_db", "live_server", "django_db_reset_sequences"}
    ) or (marker is not None and bool(marker.kwargs.get("transaction") or marker.args[:1]))
    uses_database = marker is not None or bool(names & {"db", "transactional_db"})
    wanted = None if transactional else (wanted_steps(names) or None)
    if wanted is None and not uses_database:
        yield  # a test without the database leaves the open world for the next one
        return
    if open_steps() != wanted:
        with request.getfixturevalue("django_db_blocker").unblock():
            shared_data_close()
            if wanted is not None:
                request.getfixturevalue("_shared_data_session")
                open_world(wanted, request.node.path)
    yield
