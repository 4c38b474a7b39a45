"""Backup → restore into an empty database → every table has the same rows, values and
timestamps (history included), on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lagesbild.core.backup import Target

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "stockholm"

pytestmark = pytest.mark.django_db(transaction=True)


def _some_data():
    """Configuration, the demo register (with its history rows) and a changed entry."""
    from lagesbild.directory.demo import FILE_NAME
    from lagesbild.directory.models import SupportService
    from lagesbild.directory.services import register_import_file
    from lagesbild.strategy.loader import load_config

    load_config(DATA_DIR)
    register_import_file(path=DATA_DIR / FILE_NAME, reason="Demodata: stödregister")
    service = SupportService.objects.order_by("key").first()
    service.name = "Ändrat namn ='x' – med å, ä, ö"
    service._change_reason = "Test av historik"
    service.save()
    assert SupportService.history.count() > SupportService.objects.count()


def _dump(cursor, tables: list[str]) -> dict[str, list]:
    out = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        out[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return out


def _live_tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def test_sqlite_backup_restore_reproduces_every_table(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-test")
    _some_data()
    backup_file = tmp_path / "lagesbild.backup"
    out = io.StringIO()
    call_command("backup", str(backup_file), stdout=out)
    assert "Säkerhetskopia skriven" in out.getvalue()
    assert backup_file.read_bytes()[:16] == b"SQLite format 3\x00"

    restored = tmp_path / "restored.sqlite3"
    call_command("restore", str(backup_file), f"--database-url=sqlite:///{restored}", stdout=out)
    tables = _live_tables()
    with connection.cursor() as cur:
        before = _dump(cur, tables)
    # the same type converters as Django's own connection (dates come back as datetimes)
    conn = sqlite3.connect(restored, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        after = _dump(conn.cursor(), tables)
    finally:
        conn.close()
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before
    assert len(before["directory_historicalsupportservice"]) > 0


def test_sqlite_restore_refuses_a_database_that_is_not_empty(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-test")
    backup_file = tmp_path / "b.sqlite3"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    with pytest.raises(CommandError, match="inte tom"):
        call_command("restore", str(backup_file), stdout=io.StringIO())


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "x.backup"
    bogus.write_bytes(b"not a backup at all")
    args = [str(bogus)]
    if connection.vendor == "sqlite":
        args.append(f"--database-url=sqlite:///{tmp_path / 'new.sqlite3'}")
    with pytest.raises(CommandError, match="ingen säkerhetskopia"):
        call_command("restore", *args, stdout=io.StringIO())


def _pg_admin(settings_dict):
    import psycopg

    kwargs = {
        k: v
        for k, v in {
            "host": settings_dict.get("HOST"),
            "port": settings_dict.get("PORT"),
            "user": settings_dict.get("USER"),
            "password": settings_dict.get("PASSWORD"),
        }.items()
        if v
    }
    return psycopg.connect(dbname="postgres", autocommit=True, **kwargs), kwargs


def test_postgresql_backup_restore_reproduces_every_table(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-test")
    import psycopg

    _some_data()
    backup_file = tmp_path / "lagesbild.dump"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    assert backup_file.read_bytes()[:5] == b"PGDMP"

    target_name = f"{connection.settings_dict['NAME']}_restore"
    admin, kwargs = _pg_admin(connection.settings_dict)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.execute(f'CREATE DATABASE "{target_name}"')
    try:
        target = dict(connection.settings_dict, NAME=target_name)
        from lagesbild.core.backup import restore

        restore(target=Target.from_settings(target), path=backup_file)
        tables = _live_tables()
        # both read through plain psycopg (Django's cursor returns jsonb as text)
        live = connection.settings_dict["NAME"]
        with psycopg.connect(dbname=live, **kwargs) as conn, conn.cursor() as cur:
            before = _dump(cur, tables)
        with psycopg.connect(dbname=target_name, **kwargs) as conn, conn.cursor() as cur:
            after = _dump(cur, tables)
            # sequences come back too: the next id continues after the restored rows
            cur.execute("SELECT last_value FROM directory_supportservice_id_seq")
            assert cur.fetchone()[0] >= max(r[0] for r in before["directory_supportservice"])
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert after == before
        # a second restore into the now full database is refused
        with pytest.raises(Exception, match="inte tom"):
            restore(target=Target.from_settings(target), path=backup_file)
    finally:
        with _pg_admin(connection.settings_dict)[0] as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def test_missing_pg_tools_give_a_clear_message(monkeypatch, tmp_path):
    from lagesbild.core import backup as backup_module

    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    target = Target("postgresql", {"NAME": "x", "ENGINE": "django.db.backends.postgresql"})
    with pytest.raises(backup_module.BackupError, match="pg_dump finns inte på PATH"):
        backup_module.backup(target=target, path=tmp_path / "x.dump")
