"""Fixtures for the source parser tests. Nothing here touches the network or ../shared."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


@pytest.fixture
def payloads() -> Path:
    return PAYLOADS


# --- Brå ------------------------------------------------------------------------------------------

BRA_PREVIEW = "bra_handlagda_tabell300_La_2025_preview_trimmed.json"


def bra_preview_sheets() -> dict[str, list[list]]:
    """The real preview rows of 300La-2025.xlsx, sheet name → rows (row 1 first)."""
    doc = json.loads(payload(BRA_PREVIEW))
    return {name: sheet["preview"] for name, sheet in doc["300"]["sheets"].items()}


def make_workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def bra_xlsx(tmp_path) -> Path:
    """``300La-2025.xlsx`` rebuilt from the real preview: rows exactly as Brå published them.

    Sheets in the real file's order as far as the trimmed preview has them ("Utredda brott" and
    "Förekomst av stora ärenden" were trimmed away from the payload and are left out here).
    """
    path = tmp_path / "300La-2025.xlsx"
    path.write_bytes(make_workbook(bra_preview_sheets()))
    return path


# --- Skolenkäten ----------------------------------------------------------------------------------

SKOLENKAT_IDENTITY = [
    "Kommunkod",
    "Kommun",
    "Skolenhetskod",
    "Skolenhet",
    "Huvudman",
    "Respondentgrupp",
    "Antal svarande",
]


def skolenkat_rows(index_first: bool = False) -> list[list]:
    """A synthetic Skolenkäten result sheet in the documented layout (SOURCES.md §4).

    Row 1: identity headers and the index names (``Trygghet``, ``Studiero``) over a block of
    columns; row 2: the question texts; row 3: ``Index`` over each index column and the answer
    measure over question columns. No real file was available; this mirrors the description of a
    production parser (index names by header name in row 1, "Index" in row 3). ``index_first``
    moves the index blocks before the identity columns to prove nothing depends on position.
    """
    blocks = [
        (
            ["Trygghet", None, None],
            [None, "Jag känner mig trygg i skolan.", "Det finns vuxna att prata med."],
            ["Index", "Andel instämmer (%)", "Andel instämmer (%)"],
        ),
        (
            ["Studiero", None],
            [None, "Jag kan arbeta i lugn och ro på lektionerna."],
            ["Index", "Andel instämmer (%)"],
        ),
    ]
    data = [
        # identity values, (trygghet index, q1, q2), (studiero index, q1)
        (
            [
                "0180",
                "Stockholm",
                "12345678",
                "Exempelskolan",
                "Stockholms stad",
                "Elever åk 8",
                54,
            ],
            [7.8, 91, 88],
            [6.1, 70],
        ),
        (
            [
                "0180",
                "Stockholm",
                "12345678",
                "Exempelskolan",
                "Stockholms stad",
                "Pedagogisk personal",
                3,
            ],
            [None, None, None],
            [None, None],
        ),
        (
            [
                "0180",
                "Stockholm",
                "87654321",
                "Gymnasiet Exempel",
                "Exempel AB",
                "Elever gymnasiet år 2",
                120,
            ],
            [0, 40, 35],
            [5.25, 61],
        ),
        (
            [184, "Solna", None, None, "Solna stad", "Elever åk 8", 4],
            [None, None, None],
            [None, None],
        ),
    ]
    header = [[], [], []]
    for b in blocks:
        for r in range(3):
            header[r] += b[r]
    ident_header = [SKOLENKAT_IDENTITY, [None] * 7, [None] * 7]
    rows = []
    for r in range(3):
        rows.append(header[r] + ident_header[r] if index_first else ident_header[r] + header[r])
    for ident, trygg, studie in data:
        values = trygg + studie
        rows.append(values + ident if index_first else ident + values)
    rows.append([None] * 12)
    rows.append(["Källa: syntetiska testdata, inte Skolinspektionens siffror."])
    return rows


@pytest.fixture
def skolenkat_xlsx(tmp_path) -> Path:
    path = tmp_path / "skolenkaten-2024-resultat.xlsx"
    path.write_bytes(make_workbook({"Resultat": skolenkat_rows()}))
    return path
