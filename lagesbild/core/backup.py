"""Backup and restore of the whole database, history tables included, byte for byte.

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot while the application keeps running; the backup is itself a SQLite database.
PostgreSQL: `pg_dump --format=custom` and `pg_restore`, when the client tools are on PATH (use
the server's major version or newer). Restore goes into an *empty* database only, so it can never
mix two states: every table, every primary key, every timestamp and every sequence comes back as
it was. `dumpdata`/`loaddata` are not used: they fail on the history tables' keys and lose
sequences.

Files outside the database (stored report editions, uploads under MEDIA_ROOT/var) are not in
the backup: docs/operations.md says what to copy besides.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Swedish and says what to do."""


@dataclass(frozen=True)
class Target:
    """A database to back up or restore into, from Django's settings dict."""

    engine: str  # "sqlite" | "postgresql"
    settings: dict

    @classmethod
    def from_settings(cls, db: dict) -> Target:
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls("sqlite", db)
        if engine in {"postgresql", "postgis"}:
            return cls("postgresql", db)
        raise BackupError(f"Databasmotorn {db['ENGINE']} stöds inte av backup/restore.")

    @classmethod
    def from_url(cls, url: str) -> Target:
        import dj_database_url

        return cls.from_settings(dj_database_url.parse(url))


# ------------------------------------------------------------------------------ SQLite


def _sqlite_path(db: dict) -> str:
    return str(db["NAME"])


def sqlite_backup(source: sqlite3.Connection, path: Path) -> None:
    """Copy a live SQLite database to `path` with the online backup API."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
    os.replace(tmp, path)


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def sqlite_restore(path: Path, dest: sqlite3.Connection) -> None:
    """Copy a SQLite backup into an empty database (a live connection) with the backup API."""
    if sqlite_tables(dest):
        raise BackupError(
            "Databasen att återställa till är inte tom. Återställ till en ny, tom databas "
            "(ta bort eller flytta den gamla filen först)."
        )
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = src.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise BackupError(f"Säkerhetskopian är skadad: {integrity}.")
        src.backup(dest)
    finally:
        src.close()


# ------------------------------------------------------------------------------ PostgreSQL


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} finns inte på PATH. Installera PostgreSQL-klienten (samma huvudversion som "
            "servern eller nyare, t.ex. paketet postgresql-client) och försök igen."
        )
    return tool


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # not on the command line, where ps shows it
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} misslyckades: {result.stderr.strip()[:2000]}")


def pg_backup(db: dict, path: Path) -> None:
    args, env = _pg_env(db)
    tmp = path.with_name(path.name + ".tmp")
    _run(
        [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
         "--file", str(tmp), "--dbname", str(db["NAME"])],
        env,
    )  # fmt: skip
    os.replace(tmp, path)


def pg_table_count(db: dict) -> int:
    import psycopg

    conninfo = {
        k: v
        for k, v in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
            "dbname": db["NAME"],
        }.items()
        if v
    }
    with psycopg.connect(**conninfo) as conn:
        return conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]


def pg_restore(path: Path, db: dict) -> None:
    if pg_table_count(db):
        raise BackupError(
            f"Databasen {db['NAME']} är inte tom. Återställ till en ny, tom databas "
            f"(createdb {db['NAME']}_ny) och peka DATABASE_URL dit."
        )
    args, env = _pg_env(db)
    _run(
        [_pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", "--dbname", str(db["NAME"]), str(path)],
        env,
    )  # fmt: skip


# ------------------------------------------------------------------------------ entry points


def backup(*, target: Target, path: Path, connection=None) -> str:
    """Write a backup of `target` to `path`; returns a one-line Swedish summary."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise BackupError(f"Katalogen {path.parent} finns inte.")
    if target.engine == "sqlite":
        if connection is not None:
            connection.ensure_connection()
            sqlite_backup(connection.connection, path)
        else:
            src = sqlite3.connect(_sqlite_path(target.settings))
            try:
                sqlite_backup(src, path)
            finally:
                src.close()
        kind = "SQLite-databas (online backup)"
    else:
        pg_backup(target.settings, path)
        kind = "pg_dump, eget format"
    return f"Säkerhetskopia skriven: {path} ({kind}, {path.stat().st_size} byte)."


def restore(*, target: Target, path: Path, connection=None) -> str:
    """Restore the backup at `path` into the empty database `target`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Filen {path} finns inte.")
    with path.open("rb") as fh:
        head = fh.read(16)
    if target.engine == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(
                "Filen är ingen säkerhetskopia av en SQLite-databas"
                + (" (den är från PostgreSQL: återställ med DATABASE_URL satt)." if head.startswith(PGDUMP_MAGIC) else ".")
            )  # fmt: skip
        if connection is not None:
            connection.ensure_connection()
            sqlite_restore(path, connection.connection)
        else:
            dest = sqlite3.connect(_sqlite_path(target.settings))
            try:
                sqlite_restore(path, dest)
            finally:
                dest.close()
    else:
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(
                "Filen är ingen säkerhetskopia från pg_dump (eget format)"
                + (" (den är en SQLite-databas)." if head == SQLITE_MAGIC else ".")
            )
        pg_restore(path, target.settings)
    return f"Återställd från {path}."
