from decimal import Decimal

import pytest

from lagesbild.sources.base import ParseError
from lagesbild.sources.bra import REGIONS, detect_file, parse, parse_brottstyp

from .conftest import bra_preview_sheets, make_workbook

MAIN = "Samtliga handlagda brott"


def workbook(tmp_path, rows, name="300La-2025.xlsx", extra=None):
    sheets = {MAIN: rows}
    sheets.update(extra or {})
    path = tmp_path / name
    path.write_bytes(make_workbook(sheets))
    return path


def preview_rows():
    return [list(r) for r in bra_preview_sheets()[MAIN]]


def test_real_preview_rows(bra_xlsx):
    table = parse(bra_xlsx)
    assert (table.table, table.year, table.region_code, table.area) == ("300", 2025, "La", "00")
    assert table.title.startswith("Tabell 300 a. Handlagda brott")
    assert len(table.rows) == 17
    first = table.rows[0]
    assert first.row == 3
    assert (first.crime, first.crime_label, first.breakdown) == (
        "SAMTLIGA BROTT",
        "SAMTLIGA BROTT",
        {},
    )
    assert (first.handled_total, first.investigated, first.written_off) == (
        1466095,
        757117,
        708978,
    )
    # unrounded floats exactly as stored
    assert first.lagforingsprocent == Decimal("28.0654152294646")
    assert first.personuppklaringsprocent == Decimal("12.9533215787517")
    # an integer percentage stays exact too
    last = table.rows[-1]
    assert last.lagforingsprocent == Decimal(32)
    assert last.personuppklaringsprocent == Decimal("27.5862068965517")


def test_crime_applies_to_sub_rows_until_next_crime(bra_xlsx):
    rows = parse(bra_xlsx).rows
    murder = [r for r in rows if r.crime == "3 kap. 1-2 § BrB Fullbordat mord eller dråp"]
    assert [r.row for r in murder] == list(range(7, 14))
    assert {r.crime_label for r in murder} == {"Fullbordat mord och dråp"}
    # the sub-rows' own Lagrum differs from the headline's ("och" vs "eller", a trailing space)
    assert murder[1].lagrum == "3 kap. 1-2 § BrB Fullbordat mord och dråp"
    assert murder[4].lagrum == "3 kap. 1-2 § BrB Fullbordat mord och dråp"
    assert [r.breakdown for r in murder] == [
        {},
        {"sex": "kvinnor-flickor"},
        {"sex": "kvinnor-flickor", "weapon": "skjutvapen"},
        {"sex": "kvinnor-flickor", "weapon": "ej-skjutvapen"},
        {"sex": "man-pojkar"},
        {"sex": "man-pojkar", "weapon": "skjutvapen"},
        {"sex": "man-pojkar", "weapon": "ej-skjutvapen"},
    ]
    attempt = [r for r in rows if r.crime == "3 kap. 1, 2 § BrB Försök till mord eller dråp"]
    assert attempt[0].crime_label == "Försök till mord eller dråp"
    assert [r.breakdown for r in attempt[1:]] == [
        {"age": "under-18"},
        {"sex": "flickor", "age": "under-18"},
        {"sex": "pojkar", "age": "under-18"},
        {"sex": "kvinnor", "age": "18+"},
        {"sex": "kvinnor", "age": "18+", "relation": "parrelation"},
    ]


@pytest.mark.parametrize(
    "label,expected",
    [
        (
            "Mot kvinna 18 år eller äldre, närstående genom parrelation",
            {"sex": "kvinnor", "age": "18+", "relation": "parrelation"},
        ),
        ("Mot flicka under 15 år", {"sex": "flickor", "age": "under-15"}),
        ("Mot pojke 15-17 år", {"sex": "pojkar", "age": "15-17"}),
        (
            "Mot man 18 år eller äldre, obekanta",
            {"sex": "man", "age": "18+", "relation": "obekant"},
        ),
        (
            "Mot kvinna 18 år eller äldre, närstående genom släktskap/familj",
            {"sex": "kvinnor", "age": "18+", "relation": "familj"},
        ),
        ("Mot grupp, internetrelaterat", {"target": "grupp", "internet": "ja"}),
        ("Mot barn under 18 år", {"age": "under-18"}),
        ("Mot tjänsteman", {"detalj": "Mot tjänsteman"}),
        ("Mot kvinna, i tjänst", {"sex": "kvinnor", "detalj": "i tjänst"}),
    ],
)
def test_brottstyp_breakdowns(label, expected):
    assert parse_brottstyp(label) == expected


def test_information_sheet(bra_xlsx):
    info = parse(bra_xlsx).info
    assert info.first_published == "2026-04-16"
    assert info.last_updated == "2026-07-07"
    assert len(info.corrections) == 1
    assert "19 035 brott" in info.corrections[0]
    assert "Streck (−) innebär att värdet är noll." in info.text


def test_header_found_by_name_not_position(tmp_path):
    rows = preview_rows()
    header = [h + " " for h in rows[1]]  # stray trailing spaces, as in "Lagrum "
    order = [6, 1, 0, 4, 3, 2, 5]  # shuffle the columns
    shuffled = [[r[i] for i in order] for r in [header, *rows[2:]]]
    moved = [[rows[0][0]], [None], ["Anm. extra rad"], *shuffled]
    table = parse(workbook(tmp_path, moved))
    assert len(table.rows) == 17
    assert table.rows[0].row == 5
    assert table.rows[0].handled_total == 1466095
    assert table.rows[0].personuppklaringsprocent == Decimal("12.9533215787517")


def test_dash_means_zero_and_dots_mean_missing(tmp_path):
    rows = preview_rows()[:3] + [
        ["4 kap. Test", "Testbrott, totalt", 10, "−", 10, "-", ".."],
    ]
    table = parse(workbook(tmp_path, rows))
    r = table.rows[-1]
    assert (r.investigated, r.lagforingsprocent, r.personuppklaringsprocent) == (
        0,
        Decimal(0),
        None,
    )
    assert r.missing == {"personuppklaringsprocent": ".."}


def test_missing_header_row(tmp_path):
    rows = [["Tabell 300 a."], ["Lagrum", "Handlagda brott, totalt"], ["SAMTLIGA BROTT", 1]]
    with pytest.raises(ParseError) as exc:
        parse(workbook(tmp_path, rows))
    assert str(exc.value) == (
        "300La-2025.xlsx: Hittar ingen rubrikrad med 'Brottstyp' i bladet "
        "'Samtliga handlagda brott'"
    )


def test_missing_sheet(tmp_path):
    path = tmp_path / "300La-2025.xlsx"
    path.write_bytes(make_workbook({"Annat": [["x"]]}))
    with pytest.raises(ParseError, match="bladet 'Samtliga handlagda brott' saknas"):
        parse(path)


def test_all_row_problems_in_one_error(tmp_path):
    rows = preview_rows()[:3] + [
        ["X", "Brott A, totalt", "många", 1, 1, 5, 5],
        ["X", "Brott B, totalt", 10, 3, 3, 5, 5],
        ["X", "Brott C, totalt", 10, 5, 5, 150, 5],
        ["X", "Brott D, totalt", 2.5, 1, 1.5, 5, 5],
    ]
    with pytest.raises(ParseError) as exc:
        parse(workbook(tmp_path, rows))
    assert [str(p) for p in exc.value.problems] == [
        "300La-2025.xlsx rad 4, kolumn 'Handlagda brott, totalt': 'många' är inte ett tal",
        "300La-2025.xlsx rad 5, kolumn 'Handlagda brott, totalt': 10 är inte summan av utredda "
        "(3) och direktavskrivna (3)",
        "300La-2025.xlsx rad 6, kolumn 'Lagföringsprocent (%)': 150 ligger inte mellan 0 och 100",
        "300La-2025.xlsx rad 7, kolumn 'Handlagda brott, totalt': '2.5' är inte ett antal "
        "(icke-negativt heltal)",
        "300La-2025.xlsx rad 7, kolumn 'Direktavskrivna brott': '1.5' är inte ett antal "
        "(icke-negativt heltal)",
    ]


def test_breakdown_row_before_any_crime(tmp_path):
    rows = preview_rows()[:2] + [["X", "Mot kvinna", 1, 1, 0, 0, 0]]
    with pytest.raises(ParseError, match="rad 3, kolumn 'Brottstyp': 'Mot kvinna' står före"):
        parse(workbook(tmp_path, rows))


def test_footnotes_after_table_are_kept_apart(tmp_path):
    rows = preview_rows() + [[None] * 7, ["Källa: Brå"]]
    table = parse(workbook(tmp_path, rows))
    assert len(table.rows) == 17
    assert table.footnotes == ["Källa: Brå"]


# --- file names and regions ------------------------------------------------------------------------


def test_region_and_year_from_file_name():
    la = detect_file("300La-2025.xlsx")
    assert (la.table, la.region_code, la.area, la.year) == ("300", "La", "00", 2025)
    rn03 = detect_file("/tmp/x/300Rn03-2025.xlsx")
    assert (rn03.region_code, rn03.region_name, rn03.area, rn03.year) == (
        "Rn03",
        "Region Stockholm",
        "PR-STHLM",
        2025,
    )
    assert detect_file("310Rn01-2024.xlsx").region_name == "Region Nord"
    assert detect_file("rapport.xlsx") is None
    assert detect_file("300Rn09-2025.xlsx") is None
    assert set(REGIONS) == {"La", *(f"Rn0{i}" for i in range(1, 8))}
    assert detect_file("300Rn01-2025.xlsx", {"Rn01": "X"}).area == "X"


def test_regional_file(tmp_path):
    rows = preview_rows()
    rows[0] = [rows[0][0].replace("i hela landet", "i polisregion Stockholm")]
    table = parse(workbook(tmp_path, rows, name="300Rn03-2025.xlsx"))
    assert (table.region_code, table.area) == ("Rn03", "PR-STHLM")


def test_title_contradicting_file_name(tmp_path):
    with pytest.raises(ParseError) as exc:
        parse(workbook(tmp_path, preview_rows(), name="300Rn03-2024.xlsx"))
    text = str(exc.value)
    assert "titeln gäller 2025 men filnamnet säger 2024" in text
    assert "titeln gäller Hela landet men filnamnet säger Rn03 (Region Stockholm)" in text


def test_file_name_must_follow_bra_pattern(tmp_path):
    with pytest.raises(ParseError, match="filnamnet följer inte Brås mönster"):
        parse(workbook(tmp_path, preview_rows(), name="handlagda.xlsx"))


def test_old_xls_rejected(tmp_path):
    path = tmp_path / "300La-2019.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ParseError, match=r"gamla Excel-formatet \.xls"):
        parse(path)


def test_not_excel(tmp_path):
    path = tmp_path / "300La-2025.xlsx"
    path.write_bytes(b"hello")
    with pytest.raises(ParseError, match="inte en Excel-arbetsbok"):
        parse(path)
