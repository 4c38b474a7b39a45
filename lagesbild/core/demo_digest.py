"""The demo's content hash: its input files and the code that loads them (docs/performance.md).

A second `make run` skips reloading the demo when nothing it reads has changed. The hash covers
every file under the configuration folder and every Python file of the application (not its
tests), so an edited CSV, a new migration or a changed loader all cause a reload.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lagesbild.core.models import DemoLoad

CODE_DIR = Path(__file__).resolve().parent.parent  # the lagesbild package


def _files(directory: Path, pattern: str) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob(pattern)
        if p.is_file()
        and "tests" not in p.relative_to(directory).parts
        and "__pycache__" not in p.parts
    )


def demo_digest(*, directory: Path) -> str:
    """SHA-256 over the names and contents of the demo's inputs and the application's code, and
    the demo password setting (a new LAGESBILD_DEMO_PASSWORD is applied by a reload)."""
    h = hashlib.sha256()
    h.update(os.environ.get("LAGESBILD_DEMO_PASSWORD", "").encode())
    h.update(b"\0")
    for root, pattern in ((Path(directory), "*"), (CODE_DIR, "*.py")):
        for path in _files(root, pattern):
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def demo_is_current(*, digest: str) -> bool:
    last = DemoLoad.objects.order_by("-pk").first()
    return last is not None and last.digest == digest


def demo_load_record(*, digest: str) -> None:
    DemoLoad.objects.all().delete()
    DemoLoad.objects.create(digest=digest)
