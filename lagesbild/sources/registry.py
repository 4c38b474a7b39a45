"""The closed set of importers: a plain dict from the CLI name to how it is built.

``lagesbild import <name> …`` (management command ``import_stats``) looks the name up here. Each
:class:`Source` adds its own arguments and builds an :class:`~lagesbild.sources.pipeline.Importer`
from the parsed options; the pipeline does the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import ParseError
from .pipeline import Importer

#: Injected by tests (httpx.MockTransport); None means the real network.
HTTP_TRANSPORT = None


@dataclass(frozen=True)
class Source:
    help: str
    add_arguments: Callable[[Any], None]
    build: Callable[[dict[str, Any]], Importer]
    needs_map: bool = False


# --- JSON-stat / PxWeb ----------------------------------------------------------------------------


def _jsonstat_args(p) -> None:
    p.add_argument("file", help="JSON-stat 2.0-fil (t.ex. sparad från SCB:s PxWebApi)")
    p.add_argument("--map", dest="mapping", help="mappningsfil (YAML), se docs/importers.md")


def _jsonstat_build(o: dict[str, Any]) -> Importer:
    from .jsonstat.importer import JsonStatImporter, load_mapping

    mapping_path = Path(o["mapping"])
    return JsonStatImporter(
        Path(o["file"]), mapping=load_mapping(mapping_path), mapping_name=mapping_path.name
    )


def _pxweb_args(p) -> None:
    p.add_argument("table", help="tabell-id, t.ex. TAB638")
    p.add_argument("--map", dest="mapping", required=True, help="mappningsfil (YAML)")
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="VARIABEL=KOD,KOD",
        help="urval per variabel (upprepa för varje variabel)",
    )
    p.add_argument("--query", help='JSON-fil med {"selection": [...]} (i stället för --select)')
    p.add_argument("--base-url", default=None, help="PxWebApi 2.0-adress (förval: SCB)")
    p.add_argument("--lang", default="sv")
    p.add_argument("--save", help="spara svaret (JSON-stat) i den här filen")


def parse_select(items: list[str]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        var, sep, codes = item.partition("=")
        values = [c.strip() for c in codes.split(",") if c.strip()]
        if not sep or not var.strip() or not values:
            raise ParseError.single("--select", f"'{item}' ska skrivas VARIABEL=KOD,KOD")
        out.append({"variableCode": var.strip(), "valueCodes": values})
    return out


def _pxweb_build(o: dict[str, Any]) -> Importer:
    from .jsonstat.importer import JsonStatImporter, load_mapping
    from .pxweb.client import DEFAULT_BASE_URL, PxWebClient

    if o.get("query"):
        try:
            selection = json.loads(Path(o["query"]).read_text(encoding="utf-8-sig"))["selection"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ParseError.single(
                Path(o["query"]).name, f"frågefilen ska vara JSON med 'selection': {exc}"
            ) from None
    else:
        selection = parse_select(o.get("select") or [])
    mapping = load_mapping(Path(o["mapping"]))
    base = o.get("base_url") or DEFAULT_BASE_URL
    with PxWebClient(base, transport=HTTP_TRANSPORT) as client:
        data = client.fetch(o["table"], selection, lang=o.get("lang") or "sv")
    if o.get("save"):
        Path(o["save"]).write_bytes(data)
    url = f"{base.rstrip('/')}/tables/{o['table']}/data?lang={o.get('lang') or 'sv'}"
    return JsonStatImporter(
        None,
        mapping=mapping,
        mapping_name=Path(o["mapping"]).name,
        data=data,
        url=url,
        file_name=Path(o["save"]).name if o.get("save") else f"{o['table']}.json",
    )


# --- Kolada ---------------------------------------------------------------------------------------


def _kolada_args(p) -> None:
    p.add_argument("file", help="sparat svar från Kolada API v3 (JSON)")
    p.add_argument("--map", dest="mapping", help="YAML med areas: {Kolada-id: områdeskod}")


def _kolada_mapping(o):
    from .kolada.importer import load_mapping

    return load_mapping(Path(o["mapping"])) if o.get("mapping") else None


def _kolada_build(o: dict[str, Any]) -> Importer:
    from .kolada.importer import KoladaImporter

    return KoladaImporter(Path(o["file"]), mapping=_kolada_mapping(o))


def _kolada_fetch_args(p) -> None:
    p.add_argument("--kpi", action="append", required=True, help="KPI-id (kommaseparerade)")
    p.add_argument("--area", action="append", default=[], help="kommun-/enhets-id")
    p.add_argument("--year", action="append", default=[], help="år")
    p.add_argument("--ou", action="store_true", help="organisatoriska enheter (oudata)")
    p.add_argument("--map", dest="mapping", help="YAML med areas: {Kolada-id: områdeskod}")
    p.add_argument("--base-url", default=None)
    p.add_argument("--save", help="spara svaret (JSON) i den här filen")


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _kolada_fetch_build(o: dict[str, Any]) -> Importer:
    from .kolada.client import DEFAULT_BASE_URL, KoladaClient
    from .kolada.importer import KoladaImporter

    kpis, areas, years = _split(o["kpi"]), _split(o.get("area") or []), _split(o.get("year") or [])
    base = o.get("base_url") or DEFAULT_BASE_URL
    with KoladaClient(base, transport=HTTP_TRANSPORT) as client:
        paths = client.data_paths(kpis, areas or None, years or None, ou=o.get("ou", False))
        data = client.fetch_bytes(kpis, areas or None, years or None, ou=o.get("ou", False))
    if o.get("save"):
        Path(o["save"]).write_bytes(data)
    return KoladaImporter(
        None,
        mapping=_kolada_mapping(o),
        data=data,
        url=f"{base.rstrip('/')}{paths[0]}" if len(paths) == 1 else base,
        file_name=Path(o["save"]).name if o.get("save") else "kolada.json",
    )


# --- Brå, Skolenkäten, tidy -----------------------------------------------------------------------


def _bra_args(p) -> None:
    p.add_argument("file", help="Brås tabell 300, t.ex. 300Rn03-2025.xlsx")
    p.add_argument(
        "--map", dest="mapping", required=True, help="t.ex. data/stockholm/bra-mapping.yaml"
    )


def _bra_build(o: dict[str, Any]) -> Importer:
    from .bra.importer import BraImporter, load_mapping

    mp = Path(o["mapping"])
    return BraImporter(Path(o["file"]), mapping=load_mapping(mp), mapping_name=mp.name)


def _skolenkaten_args(p) -> None:
    p.add_argument("file", help="Skolenkätens resultatfil (.xlsx)")
    p.add_argument("--period", help="året, om det inte står i filnamnet")


def _skolenkaten_build(o: dict[str, Any]) -> Importer:
    from .skolenkaten.importer import SkolenkatImporter

    return SkolenkatImporter(Path(o["file"]), period=o.get("period"))


def _tidy_args(p) -> None:
    p.add_argument("file", help="tidy CSV eller XLSX (en rad per värde)")
    p.add_argument("--source", default="", help="källans namn för importkörningen")
    p.add_argument("--sheet", help="bladet i en Excel-fil (förval: det första)")


def _tidy_build(o: dict[str, Any]) -> Importer:
    from .tabular.importer import TidyImporter

    return TidyImporter(Path(o["file"]), source=o.get("source") or "", sheet=o.get("sheet"))


REGISTRY: dict[str, Source] = {
    "jsonstat": Source("JSON-stat 2.0-fil (SCB, PxWeb)", _jsonstat_args, _jsonstat_build),
    "pxweb": Source("hämta en tabell från PxWebApi 2.0 och importera", _pxweb_args, _pxweb_build),
    "kolada": Source("sparat svar från Kolada API v3", _kolada_args, _kolada_build),
    "kolada-fetch": Source(
        "hämta från Kolada API v3 och importera", _kolada_fetch_args, _kolada_fetch_build
    ),
    "bra": Source("Brås tabell 300 (Excel)", _bra_args, _bra_build),
    "skolenkaten": Source(
        "Skolenkätens resultatfil (Excel)", _skolenkaten_args, _skolenkaten_build
    ),
    "tidy": Source("tidy CSV/XLSX", _tidy_args, _tidy_build),
}
