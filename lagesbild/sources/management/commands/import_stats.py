"""``lagesbild import <källa> …``: import official statistics (see docs/importers.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.numbers import format_number
from lagesbild.sources.base import ParseError
from lagesbild.sources.pipeline import ImportFailed, ImportSummary, Options, run
from lagesbild.sources.registry import REGISTRY


class Command(BaseCommand):
    help = "Importerar officiell statistik: " + ", ".join(REGISTRY)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="importer_name", required=True, metavar="KÄLLA")
        for name, source in REGISTRY.items():
            p = sub.add_parser(name, help=source.help)
            source.add_arguments(p)
            p.add_argument("--dry-run", action="store_true", help="visa vad som skulle ändras")
            p.add_argument("--json", action="store_true", help="sammanfattning som JSON")
            p.add_argument("--progress", action="store_true", help="visa förloppsindikator")
            p.add_argument("--user", help="användarnamn som står för importen")

    def handle(self, *args, **o):
        name = o["importer_name"]
        user = None
        if o.get("user"):
            user = get_user_model().objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"Användaren '{o['user']}' finns inte")
        try:
            if name == "jsonstat" and not o.get("mapping"):
                summary = self._jsonstat_summary(o)
            else:
                importer = REGISTRY[name].build(o)
                summary = run(
                    importer,
                    Options(dry_run=o["dry_run"], user=user, progress=o["progress"] or None),
                )
        except ParseError as exc:
            summary = ImportSummary(dry_run=o["dry_run"])
            summary.errors = [str(p) for p in exc.problems]
            summary.error_count = exc.total
            self._fail(summary, o)
        except ImportFailed as exc:
            self._fail(exc.summary, o)
        except Exception as exc:  # HTTP clients: PxWebError, KoladaError
            if type(exc).__name__ in ("PxWebError", "KoladaError"):
                raise CommandError(str(exc)) from None
            raise
        self._report(summary, o)

    def _jsonstat_summary(self, o) -> ImportSummary:
        from lagesbild.sources.jsonstat import parse, summarize

        if not o["dry_run"]:
            raise CommandError(
                "Utan --map kan filen bara kontrolleras: lägg till --dry-run, eller ange "
                "--map MAPPNING.yaml för att importera"
            )
        ds = parse(Path(o["file"]))
        s = summarize(ds)
        summary = ImportSummary(rows=s["rows"], dry_run=True)
        summary.flags.update(s["flags"])
        return summary

    def _fail(self, summary: ImportSummary, o) -> None:
        if o["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=1))
        else:
            for line in summary.errors:
                self.stderr.write(line)
            if summary.error_count > len(summary.errors):
                rest = summary.error_count - len(summary.errors)
                self.stderr.write(f"… och {rest} fel till")
        raise CommandError("Filen avvisades; ingenting har skrivits.")

    def _report(self, s: ImportSummary, o) -> None:
        if o["json"]:
            self.stdout.write(json.dumps(s.as_json(), ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        if s.detected:
            w(f"Upptäckt format: {s.detected}")
        w(
            f"{format_number(s.rows)} rader: {format_number(s.created)} nya, "
            f"{format_number(s.updated)} ändrade, {format_number(s.unchanged)} oförändrade"
            + (f", {format_number(s.skipped)} hoppades över" if s.skipped else "")
        )
        if s.flags:
            w("Statussymboler: " + ", ".join(f"{k} {v}" for k, v in sorted(s.flags.items())))
        for line in s.warnings:
            w(f"Varning: {line}")
        if s.dry_run:
            for c in s.changes:
                what = "ny" if c.action == "created" else f"{_num(c.old)} → {_num(c.new)}"
                if c.action == "created":
                    what = f"ny: {_num(c.new)}"
                w(
                    f"  rad {c.row_no}: {c.indicator} {c.area} {c.period} "
                    f"{c.breakdown_key or 'totalt'} ({c.statistic}) {what}"
                )
            w("Provkörning: ingenting har skrivits.")
        else:
            w(f"Importkörning {s.import_run_id} sparad.")


def _num(v) -> str:
    return "saknas" if v is None else format_number(v.normalize())
