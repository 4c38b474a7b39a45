"""Passwords are hashed with Argon2id at OWASP's parameters; older hashes still log in and are
upgraded (lagesbild/core/hashers.py)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.models import User
from django.test import RequestFactory

from lagesbild import settings as project_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    """The suite hashes with MD5 for speed (conftest.py); these tests use the real list."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_a_new_password_is_argon2id_with_owasp_parameters(production_hashers):
    encoded = make_password("ett långt lösenord")
    algorithm, variety, version, params, _salt, _hash = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    assert dict(p.split("=") for p in params.split(",")) == {"m": "19456", "t": "2", "p": "1"}
    assert identify_hasher(encoded).__class__.__name__ == "Argon2idHasher"


@pytest.mark.parametrize(
    "old_hasher",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",  # Django's defaults: 100 MiB, 8 lanes
    ],
)
def test_an_older_hash_still_logs_in_and_is_upgraded(production_hashers, settings, old_hasher):
    settings.PASSWORD_HASHERS = [old_hasher]
    user = User.objects.create(username="kontakt", password=make_password("ett långt lösenord"))
    old = user.password
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    request = RequestFactory().post("/konto/logga-in/")
    assert authenticate(request, username="kontakt", password="fel lösenord") is None
    assert User.objects.get(pk=user.pk).password == old  # a failed login changes nothing
    assert authenticate(request, username="kontakt", password="ett långt lösenord") is not None
    upgraded = User.objects.get(pk=user.pk).password
    assert upgraded != old
    assert upgraded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_the_suite_default_is_not_what_production_uses():
    # a guard against the test fixture's fast hasher leaking into the settings module
    assert project_settings.PASSWORD_HASHERS[0] == "lagesbild.core.hashers.Argon2idHasher"
    assert "MD5" not in " ".join(project_settings.PASSWORD_HASHERS)
    assert django_settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")  # conftest's
