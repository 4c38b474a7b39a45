"""Settings read the environment through strict helpers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from lagesbild import settings as s


def test_env_bool_accepts_swedish_and_english_and_rejects_garbage(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ja")
    assert s.env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "false")
    assert s.env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "kanske")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='kanske'"):
        s.env_bool("X_FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    assert s.env_int("X_INT", 1) == 12
    monkeypatch.setenv("X_INT", "tolv")
    with pytest.raises(ImproperlyConfigured, match="heltal"):
        s.env_int("X_INT", 1)
    monkeypatch.setenv("X_HOSTS", "a.se, b.se,")
    assert s.env_list("X_HOSTS") == ["a.se", "b.se"]


def test_defaults_are_swedish_and_sqlite_unless_database_url(settings):
    assert settings.LANGUAGE_CODE == "sv"
    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine.endswith("sqlite3") or engine.endswith("postgresql")
