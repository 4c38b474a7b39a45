"""Shared data: the Stockholm world loaded once for the tests in a row that need it.

Loading the Stockholm configuration, figures and register takes seconds, and hundreds of tests
need the same world. A test that asks for one of the fixtures in ``SHARED_DATA`` gets it from an
outer transaction opened before its own (the ``_shared_data`` fixture in the root conftest):
pytest-django's per-test transaction becomes a savepoint inside it, so whatever the test changes
is rolled back to the loaded world, never further. The outer transaction stays open while the
next tests of the worker want the same world (``make test`` hands out whole files, ``--dist
loadfile``) and is rolled back as soon as a test wants another world, an empty database or real
transactions. It is Django's ``TestCase.setUpTestData`` pattern, across the functions and files
that share a world.
"""

from __future__ import annotations

import io
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "stockholm"


def _load_config():
    from lagesbild.strategy.loader import load_config

    load_config(DATA_DIR)


def _load_observations():
    from lagesbild.indicators.demo import load_observation_files

    load_observation_files(DATA_DIR)


def _load_followups():
    from django.core.management import call_command

    call_command("load_followups", str(DATA_DIR / "followups-2025.yaml"), stdout=io.StringIO())


def _load_register():
    from lagesbild.directory.demo import FILE_NAME
    from lagesbild.directory.services import register_import_file

    register_import_file(path=DATA_DIR / FILE_NAME, reason="Demodata: stödregister")


def _load_demo_register():
    from lagesbild.directory.demo import load as load_demo_register

    load_demo_register(DATA_DIR, io.StringIO())


# Steps in the order they are loaded, and the worlds (fixture name → steps) made of them.
STEPS = {
    "config": _load_config,
    "observations": _load_observations,
    "followups": _load_followups,
    "register": _load_register,
    "demo_register": _load_demo_register,
}
SHARED_DATA = {
    "stockholm": ("config", "observations"),
    "stockholm_followups": ("config", "observations", "followups"),
    "register": ("config", "register"),
    "directory_round": ("config", "demo_register"),
}
# The world the outer transaction holds in this process (one per xdist worker).
_open: dict = {"steps": None, "atomic": None, "file": None}


def wanted_steps(fixture_names) -> tuple[str, ...]:
    """The steps of every shared world a test asks for, in loading order."""
    steps = {step for name in set(fixture_names) & SHARED_DATA.keys() for step in SHARED_DATA[name]}
    return tuple(sorted(steps, key=list(STEPS).index))


def open_steps() -> tuple[str, ...] | None:
    return _open["steps"]


def shared_data_ensure(steps) -> None:
    """Inside a test: the world of ``steps`` is there – from the outer transaction when it
    holds them, else loaded now inside the test's own transaction (a test with real
    transactions)."""
    held = _open["steps"] or ()
    for step in steps:
        if step not in held:
            STEPS[step]()


def open_file():
    """The test file the open world was opened for: it is rolled back before the next file's
    fixtures are set up (a module fixture may write to the database)."""
    return _open["file"]


def open_world(steps: tuple[str, ...], file) -> None:
    """Opens the outer transaction and loads ``steps`` in it. Nothing may be open: a module
    fixture that holds a transaction (test_report_2025's ``built``) and a shared world do not
    mix in one file."""
    from django.db import connection, transaction

    assert _open["atomic"] is None
    assert not connection.in_atomic_block, "a shared world opens outside every transaction"
    _open["file"] = file
    atomic = transaction.atomic()
    atomic.__enter__()
    _open["atomic"] = atomic
    try:
        for step in steps:
            STEPS[step]()
    except BaseException:
        shared_data_close()
        raise
    _open["steps"] = steps


def shared_data_close() -> None:
    """Rolls the open world back."""
    from django.db import transaction

    if _open["atomic"] is not None:
        atomic = _open["atomic"]
        _open["atomic"] = _open["steps"] = _open["file"] = None
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
