"""Quick starts: no heavy library on the path of URL loading or the CLI's start; warm workers;
hashed static files; the demo is not reloaded when nothing changed (docs/performance.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from lagesbild.core import demo_digest as digest_module
from lagesbild.core.models import DemoLoad

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["matplotlib", "weasyprint", "docx", "openpyxl", "numpy", "PIL", "pandas"]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
{body}
print(json.dumps(sorted(m for m in sys.modules)))
"""


def _modules_after(body: str) -> set[str]:
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_loading_every_url_and_view_imports_no_document_or_chart_library():
    modules = _modules_after(
        "import django\n"
        "django.setup()\n"
        "import lagesbild.urls\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "import lagesbild.wsgi\n"
    )
    assert "lagesbild.urls" in modules and "lagesbild.reporting.views" in modules
    assert _heavy(modules) == []


def test_charts_are_drawn_without_pyplot():
    """Server code draws with matplotlib's object API (Figure): pyplot's global state (current
    figure, a GUI backend) is never loaded, when a chart is drawn or anywhere in the code."""
    import ast

    modules = _modules_after(
        "import django\n"
        "django.setup()\n"
        "from lagesbild.gunicorn_conf import warm_charts\n"
        "warm_charts()\n"  # a line chart as SVG and as PNG, with the application's chart code
    )
    assert "matplotlib.figure" in modules and "matplotlib.pyplot" not in modules
    importing = []
    for path in (ROOT / "lagesbild").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [f"{node.module}.{a.name}" for a in node.names]
                if isinstance(node, ast.ImportFrom) and node.module else []
            )  # fmt: skip
            if any(n.startswith("matplotlib.pyplot") for n in names):
                importing.append(str(path.relative_to(ROOT)))
    assert importing == []


def test_cli_help_loads_neither_django_nor_any_heavy_library():
    modules = _modules_after("from lagesbild import cli\ncli.main(['--help'])\n")
    assert "lagesbild.cli" in modules
    assert _heavy(modules) == []
    assert "django" not in modules and "lagesbild.settings" not in modules


def test_cli_help_lists_lagesbilds_commands(capsys):
    from lagesbild import cli

    cli.main(["--help"])
    out = capsys.readouterr().out
    for name in ("serve", "demo", "load-config", "import", "report"):
        assert f"  {name}\n" in out
    assert "import-stats" not in out


def test_the_worker_warm_up_request_answers_200(stockholm, monkeypatch):
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from lagesbild import gunicorn_conf

    assert "/konto/logga-in/" in gunicorn_conf.WARMUP_PATHS  # the deadline's first page
    monkeypatch.setattr(gunicorn_conf, "WARMUP_PATHS", [*gunicorn_conf.WARMUP_PATHS, "/healthz"])
    # As Django's test client does: the test's transaction must survive the request signals.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        statuses = gunicorn_conf.warm_worker(get_wsgi_application(), keep_connection=True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert statuses == [200] * len(gunicorn_conf.WARMUP_PATHS)


def test_the_server_configuration_comes_from_the_environment(monkeypatch):
    import importlib

    from lagesbild import gunicorn_conf

    monkeypatch.setenv("LAGESBILD_WEB_WORKERS", "3")
    monkeypatch.setenv("LAGESBILD_WEB_THREADS", "8")
    monkeypatch.setenv("LAGESBILD_WEB_TIMEOUT", "90")
    conf = importlib.reload(gunicorn_conf)
    try:
        assert (conf.workers, conf.threads, conf.timeout) == (3, 8, 90)
        assert conf.worker_class == "gthread" and conf.preload_app is True
        assert conf.control_socket_disable is True
        monkeypatch.delenv("LAGESBILD_WEB_WORKERS")
        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
        conf = importlib.reload(gunicorn_conf)
        monkeypatch.delenv("LAGESBILD_WEB_THREADS")
        conf = importlib.reload(gunicorn_conf)
        # Processes rather than threads: 2 per core and one more, 2 threads each.
        assert (conf.workers, conf.threads) == (2 * conf.cores() + 1, 2)
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)


def test_static_files_get_a_hashed_name_and_compressed_copies(tmp_path, settings):
    from lagesbild.core.staticfiles import StaticStorage

    source = ROOT / "lagesbild" / "static" / "lagesbild" / "site.css"
    (tmp_path / "lagesbild").mkdir()
    (tmp_path / "lagesbild" / "site.css").write_bytes(source.read_bytes())
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    list(storage.post_process({"lagesbild/site.css": (storage, "lagesbild/site.css")}))
    url = storage.url("lagesbild/site.css")
    assert url.startswith("/static/lagesbild/site.") and url != "/static/lagesbild/site.css"
    hashed = tmp_path / url.removeprefix("/static/")
    assert hashed.exists()
    assert Path(f"{hashed}.gz").exists() and Path(f"{hashed}.br").exists()
    # Before collectstatic (or for a file added since) the page links the plain name.
    empty = StaticStorage(location=tmp_path / "none", base_url="/static/")
    assert empty.url("lagesbild/site.css") == "/static/lagesbild/site.css"


@pytest.fixture
def demo_loads(monkeypatch, tmp_path):
    """The demo command with one fake demo step that counts its loads."""
    from lagesbild.core.management.commands import demo as demo_command

    loads = []

    class Step:
        @staticmethod
        def load(directory, stdout):
            loads.append(directory)

    def fake_import(name):
        if name == "lagesbild.core.demo":
            return Step
        raise ModuleNotFoundError(name=name)

    monkeypatch.setattr(demo_command, "import_module", fake_import)
    (tmp_path / "goals.yaml").write_text("goals: []\n")
    return loads


def test_a_second_demo_load_is_skipped_when_files_and_code_are_unchanged(db, demo_loads, tmp_path):
    call_command("demo", "--dir", str(tmp_path), verbosity=0)
    call_command("demo", "--dir", str(tmp_path), verbosity=0)
    assert len(demo_loads) == 1
    assert DemoLoad.objects.count() == 1

    (tmp_path / "goals.yaml").write_text("goals: [1]\n")  # an edited input file
    call_command("demo", "--dir", str(tmp_path), verbosity=0)
    assert len(demo_loads) == 2

    call_command("demo", "--dir", str(tmp_path), "--force", verbosity=0)
    assert len(demo_loads) == 3
    assert DemoLoad.objects.count() == 1


def test_the_demo_digest_covers_the_code(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("x\n")
    code = tmp_path / "code"
    (code / "app" / "tests").mkdir(parents=True)
    (code / "app" / "demo.py").write_text("A = 1\n")
    (code / "app" / "tests" / "test_x.py").write_text("T = 1\n")
    monkeypatch.setattr(digest_module, "CODE_DIR", code)
    first = digest_module.demo_digest(directory=tmp_path / "a.csv")
    before = digest_module.demo_digest(directory=tmp_path)
    (code / "app" / "tests" / "test_x.py").write_text("T = 2\n")  # tests do not count
    assert digest_module.demo_digest(directory=tmp_path) == before
    (code / "app" / "demo.py").write_text("A = 2\n")
    assert digest_module.demo_digest(directory=tmp_path) != before
    assert first  # a missing folder hashes as empty input, without failing
