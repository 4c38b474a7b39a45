"""Start-up without the garbage collector's rescans: what `manage.py` and `lagesbild` call before
Django's command line.

Loading Django, the apps and their libraries (django-ninja and pydantic, simple-history,
openpyxl's and the report's modules) makes about 200 000 objects that live as long as the
process. While they are being made, Python's cyclic collector keeps scanning all of them (its
full collections grow with the heap), and again when the interpreter exits: about a third of
`manage.py check`'s CPU time on the development machine (docs/performance.md). Those scans
never find garbage among objects that live until exit.

So the collector is paused while Django is set up, and what set-up made is moved to the
collector's permanent generation (`gc.freeze()`) before it is turned on again: the command's
own work is collected as usual, only the start-up's objects are never rescanned. The gunicorn
master does the same for the preloaded application (lagesbild/gunicorn_conf.py), as the Python
documentation recommends for pre-forking servers.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager


def setup_django(argv: list[str]) -> None:
    """`django.setup()` with the collector paused, then the set-up's objects frozen.

    Left to Django's own command line when the settings are broken (it reports them its own
    way), for `runserver`, whose autoreloader sets up Django in its child process, and when
    Django is set up already (a test calling the command line: its objects are not the
    start-up's)."""
    if argv[1:2] == ["runserver"]:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 – reads the settings module
    except (ImproperlyConfigured, ImportError):  # Django's command line catches the same
        return
    import django
    from django.apps import apps

    if apps.ready:  # already set up (a test calling the command line): nothing to freeze
        return
    with long_lived():
        django.setup()


def freeze_heap() -> None:
    """Collect what is garbage now, then move every object still alive to the collector's
    permanent generation: for a process whose loading is done (the gunicorn master before it
    forks and each worker after its warm-up, the test run after collection; a full collection of
    the preloaded application took 0.1–0.14 s with the GIL held, in the middle of the requests
    the worker's other threads were serving). Frozen, the forked
    workers also do not write to the pages they share when the collector would have touched
    them: what the Python documentation recommends for pre-forking servers."""
    gc.collect()
    gc.freeze()


@contextmanager
def long_lived() -> Iterator[None]:
    """For loading what the process keeps until it ends (Django's set-up, the Swedish
    dictionary): the collector is paused while it is made, and everything alive afterwards is
    frozen, so no later full collection rescans it. The spell-checker's dictionary is about
    1.1 million objects: loading it took 3.2 s of CPU with the collector running and 1.2 s
    paused, and unfrozen it would make every later full collection in that worker scan them all
    while holding the GIL."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
