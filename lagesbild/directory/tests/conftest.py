from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from lagesbild.core.models import Area, Membership, Organisation, Role

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "stockholm"


@pytest.fixture
def register(db):
    """The Stockholm configuration (no figures) and the demo support register, without the
    coverage the demo step stores from it."""
    from tests.shared_data import SHARED_DATA, shared_data_ensure

    shared_data_ensure(SHARED_DATA["register"])
    return DATA_DIR


def _municipal_reporter(username: str, key: str, name: str, code: str) -> User:
    org, _ = Organisation.objects.get_or_create(
        key=key,
        defaults={"name": name, "kind": "municipality", "area": Area.objects.get(code=code)},
    )
    user = User.objects.create_user(username, f"{username}@example.org", "lösenord-för-test")
    Membership.objects.create(user=user, organisation=org, role=Role.REPORTER)
    return user


@pytest.fixture
def reporter_nacka(register) -> User:
    return _municipal_reporter("nacka", "nacka-kommun", "Nacka kommun", "0182")


@pytest.fixture
def reporter_stockholm(register) -> User:
    org = Organisation.objects.get(key="stockholms-stad")
    user = User.objects.create_user("sthlm", "sthlm@example.org", "lösenord-för-test")
    Membership.objects.create(user=user, organisation=org, role=Role.REPORTER)
    return user
