"""The parsing helpers, the upload checks at unit level, the NUL middleware and `make audit`."""

from __future__ import annotations

import io
import zipfile

import pytest

from lagesbild.core import audit
from lagesbild.core.params import parse_code, parse_int, parse_period, parse_scb_code, safe_text
from lagesbild.core.uploads import UploadRefused, csv_rows, shorten, upload_read, xlsx_check


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), ("-1", None), ("1e3", None),
     ("9" * 30, None), ("", None), (None, None), (True, None), (5, 5)],
)  # fmt: skip
def test_parse_int(raw, expected):
    assert parse_int(raw) == expected


def test_parse_int_bounds():
    assert parse_int("5", minimum=1, maximum=10) == 5
    assert parse_int("11", minimum=1, maximum=10) is None


def test_parse_code_period_scb_and_text():
    assert parse_code("S1.2") == "S1.2" and parse_code("a\x00") is None and parse_code("") is None
    assert parse_period("2024") == "2024" and parse_period("2023-2024") == "2023-2024"
    assert parse_period("2024-Q9") is None and parse_period("²⁰²⁴") is None
    assert parse_scb_code("0180") == "0180" and parse_scb_code("0180-JARVA") == "0180-JARVA"
    assert parse_scb_code("0180-") is None and parse_scb_code("01; DROP") is None
    assert safe_text("hej", max_length=10) == "hej"
    assert safe_text("h\x00j", max_length=10) is None and safe_text("x" * 11, max_length=10) is None


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


TYPES = b'<?xml version="1.0"?><Types xmlns="x"><Default Extension="xml" ContentType="application/xml"/></Types>'


def test_xlsx_check_refuses_a_highly_compressed_member():
    data = _zip(
        {"[Content_Types].xml": TYPES, "xl/worksheets/sheet1.xml": b"0" * (3 * 1024 * 1024)}
    )
    with pytest.raises(UploadRefused, match="packad ovanligt hårt"):
        xlsx_check(data)


def test_xlsx_check_refuses_too_many_members(settings):
    settings.LAGESBILD_XLSX_MAX_MEMBERS = 5
    data = _zip({"[Content_Types].xml": TYPES, **{f"x{i}.xml": b"<a/>" for i in range(10)}})
    with pytest.raises(UploadRefused, match="11 delar"):
        xlsx_check(data)


def test_xlsx_check_refuses_xml_bombs_in_the_content_types():
    bomb = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Types>&b;</Types>'
    with pytest.raises(UploadRefused, match="som går att läsa"):
        xlsx_check(_zip({"[Content_Types].xml": bomb}))


def test_upload_read_refuses_empty_and_oversize():
    with pytest.raises(UploadRefused, match="tom"):
        upload_read(b"")
    with pytest.raises(UploadRefused, match="högst 1 MB"):
        upload_read(b"x" * (1024 * 1024 + 1), max_bytes=1024 * 1024)


def test_csv_rows_limits_cells_without_echoing_them(settings):
    settings.LAGESBILD_UPLOAD_MAX_CELL_CHARS = 10
    with pytest.raises(UploadRefused) as err:
        list(csv_rows("a,b\nx,HEMLIGHEMLIGHEMLIG\n", delimiter=","))
    assert "18 tecken" in err.value.message and "HEMLIG" not in err.value.message


def test_shorten():
    assert shorten("x" * 10, 5) == "xxxxx… (10 tecken)"
    assert shorten("kort", 5) == "kort"


@pytest.mark.django_db
def test_nul_in_path_query_or_form_is_a_400(client):
    assert client.get("/stod/verksamhet/a%00b/").status_code == 400
    assert client.get("/utforska/", {"mal": "a\x00"}).status_code == 400
    response = client.post("/konto/logga-in/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert client.get("/utforska/", {"mal": "²"}).status_code == 200


def test_audit_is_never_a_pass_when_no_service_answers(monkeypatch, capsys):
    monkeypatch.setattr(audit, "reachable", lambda name: False)
    assert audit.main(["requirements.txt"]) == 2
    assert "GRANSKNINGEN ÄR INTE GJORD" in capsys.readouterr().err


def test_audit_passes_on_pip_audits_status(monkeypatch, capsys):
    monkeypatch.setattr(audit, "reachable", lambda name: name == "osv")
    calls = []
    monkeypatch.setattr(audit.subprocess, "call", lambda cmd: calls.append(cmd) or 1)
    assert audit.main(["req.txt"]) == 1
    assert "--vulnerability-service" in calls[0] and "osv" in calls[0]
    assert "--disable-pip" in calls[0]


def test_a_proxy_answer_without_vulnerability_data_is_not_reachable(monkeypatch):
    class Answer(io.BytesIO):
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(audit.urllib.request, "urlopen", lambda *a, **k: Answer(b'{"info": {}}'))
    assert audit.reachable("pypi") is False
    monkeypatch.setattr(
        audit.urllib.request, "urlopen", lambda *a, **k: Answer(b'{"vulnerabilities": [{"id": 1}]}')
    )
    assert audit.reachable("pypi") is True
