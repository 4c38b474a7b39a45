"""Start-up without the collector's rescans (lagesbild/startup.py): the command line sets up
Django with the collector paused and the start-up's objects frozen, and leaves everything else
as Django's command line has it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
from lagesbild.startup import setup_django
setup_django(sys.argv[1:])
from django.apps import apps
print(apps.ready, gc.isenabled(), gc.get_freeze_count())
"""


def _probe(*argv: str, **env: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_a_command_sets_up_django_with_its_objects_frozen_and_the_collector_on():
    ready, enabled, frozen = _probe("manage.py", "check")
    assert ready == "True" and enabled == "True"
    assert int(frozen) > 50_000  # the apps, models and libraries: never rescanned


def test_broken_settings_and_runserver_are_left_to_django():
    assert _probe("manage.py", "check", DJANGO_SETTINGS_MODULE="no_such_settings") == [
        "False",
        "True",
        "0",
    ]
    assert _probe("manage.py", "runserver") == ["False", "True", "0"]


def test_django_already_set_up_is_left_alone():
    """A test calling the command line: its objects are not the start-up's to freeze."""
    from lagesbild.startup import setup_django

    before = gc.get_freeze_count()
    setup_django(["lagesbild", "check"])
    assert gc.get_freeze_count() == before
    assert gc.isenabled()


def test_manage_py_check_still_answers():
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "no issues" in out.stdout


def test_what_is_loaded_to_keep_is_frozen_and_the_collector_is_on_again():
    from lagesbild.startup import long_lived

    before = gc.get_freeze_count()
    with long_lived():
        assert not gc.isenabled()
        kept = [[i] for i in range(10_000)]  # lists are tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_a_paused_collector_stays_paused():
    from lagesbild.startup import long_lived

    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
