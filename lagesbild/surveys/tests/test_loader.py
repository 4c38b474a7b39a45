"""Survey and index files: strict schema, line-numbered Swedish errors, nothing written on error."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lagesbild.core.yamlschema import ConfigError
from lagesbild.surveys.loader import load_survey_file, size_groups
from lagesbild.surveys.models import CompositeIndex, Survey

from .conftest import INDEX_FILE, SURVEY_FILE

GOOD = """\
survey:
  key: liten
  title: Liten enkät
  sections:
    - key: a
      title: Avsnitt
      questions:
        - key: q1
          text: Finns en plan?
          type: yes_no
          help: Hjälptext
        - key: q2
          text: Vilket år?
          type: number
          show_if: {question: q1, equals: [ja]}
"""


def write(tmp_path, text, name="enkat.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_command_loads_the_real_survey_and_index(db):
    out = StringIO()
    call_command("load_survey", str(SURVEY_FILE), str(INDEX_FILE), stdout=out)
    survey = Survey.objects.get(key="kommunenkat-forebyggande")
    index = CompositeIndex.objects.get(key="preventionsindex")
    assert "Enkät inläst" in out.getvalue() and "Index inläst" in out.getvalue()
    spec = index.spec
    # 004: 19 questions → 9 indicators → 3 categories
    assert len(spec.categories) == 3
    assert sum(len(c.indicators) for c in spec.categories) == 9
    assert sum(len(i.items) for c in spec.categories for i in c.indicators) == 19
    types = {q.type for q in survey.spec.questions()}
    assert types == {"yes_no", "single_choice", "multiple_choice", "scale", "number", "text"}
    assert index.sha256 and index.file_name == "preventionsindex.yaml"
    # loading again changes nothing
    call_command("load_survey", str(SURVEY_FILE), stdout=StringIO())
    assert Survey.objects.count() == 1


def test_unknown_field_names_line_and_nothing_is_written(db, tmp_path):
    path = write(tmp_path, GOOD.replace("          help: Hjälptext", "          hjalp: fel"))
    with pytest.raises(CommandError) as exc:
        call_command("load_survey", str(path), stdout=StringIO())
    assert "enkat.yaml rad 11" in str(exc.value)
    assert "okänt fält" in str(exc.value)
    assert "Inget har sparats" in str(exc.value)
    assert Survey.objects.count() == 0


def test_wrong_type_and_missing_options(db, tmp_path):
    text = GOOD.replace("type: yes_no", "type: ja_nej")
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, text))
    problem = exc.value.problems[0]
    assert problem.line == 10 and "otillåtet värde" in problem.message
    text = GOOD.replace("type: yes_no", "type: single_choice")
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, text))
    assert "minst två svarsalternativ" in str(exc.value)
    assert Survey.objects.count() == 0


def test_condition_on_unknown_question_and_answer(db, tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, GOOD.replace("question: q1", "question: q9")))
    assert "rad 15" in str(exc.value) and "q9" in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, GOOD.replace("equals: [ja]", "equals: [kanske]")))
    assert "kanske finns inte bland alternativen" in str(exc.value)
    assert Survey.objects.count() == 0


def test_yaml_syntax_error_has_line(db, tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, GOOD + "  - [oavslutad\n"))
    assert exc.value.problems[0].line is not None
    assert "ogiltig YAML" in str(exc.value)


def test_index_errors_name_line_and_write_nothing(survey, tmp_path):
    text = INDEX_FILE.read_text(encoding="utf-8")
    before = CompositeIndex.objects.get().sha256
    bad = text.replace("question: kartlaggning", "question: kartlagning", 1)
    bad = bad.replace("{skyddat-boende: 0.34", "{skyddat_boende: 0.34")
    path = write(tmp_path, bad, "index.yaml")
    with pytest.raises(ConfigError) as exc:
        load_survey_file(path)
    messages = [str(p) for p in exc.value.problems]
    lines = text.splitlines()
    kart = next(i for i, line in enumerate(lines, 1) if "question: kartlaggning" in line)
    assert any(f"index.yaml rad {kart}" in m and "kartlagning" in m for m in messages)
    assert any("skyddat_boende finns inte" in m for m in messages)
    assert CompositeIndex.objects.get().sha256 == before  # the loaded index is untouched


def test_index_needs_its_survey(db, tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_survey_file(INDEX_FILE)
    assert "är inte inläst" in str(exc.value)


def test_score_out_of_range(survey, tmp_path):
    text = INDEX_FILE.read_text(encoding="utf-8").replace("{ja: 1, nej: 0}", "{ja: 2, nej: 0}", 1)
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, text, "index.yaml"))
    assert "mellan 0 och 1" in str(exc.value)


def test_size_groups_file(tmp_path, settings):
    from .conftest import SURVEYS_DIR

    groups = size_groups(SURVEYS_DIR.parent)
    assert len(groups) == 26 and groups["0180"] == "90 000 invånare eller fler"
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "storleksgrupper.yaml").write_text(
        'source: x\ngroups:\n  - label: A\n    municipalities: ["0114"]\n'
        '  - label: B\n    municipalities: ["0114"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as exc:
        size_groups(tmp_path)
    assert "rad 6" in str(exc.value) and "finns redan" in str(exc.value)


def test_index_publishes_to_indicators_in_the_catalogue_for_goals_1_7_8():
    """Every catalogue_indicator named in the index file exists in indicators.yaml, as index_0_100."""
    import yaml

    from lagesbild.surveys.schema import IndexFile

    from .conftest import SURVEYS_DIR

    spec = IndexFile.model_validate(yaml.safe_load(INDEX_FILE.read_text(encoding="utf-8"))).index
    codes = {spec.catalogue_indicator} | {c.catalogue_indicator for c in spec.categories}
    codes |= {i.catalogue_indicator for c in spec.categories for i in c.indicators}
    codes.discard("")
    catalogue = yaml.safe_load((SURVEYS_DIR.parent / "indicators.yaml").read_text("utf-8"))
    entries = {i["code"]: i for i in catalogue["indicators"]}
    assert codes == {"E1.1", "E1.2", "E1.3", "E7.1", "E8.1"}
    assert {entries[c]["goal"] for c in codes} == {1, 7, 8}
    assert all(entries[c]["unit"] == "index_0_100" for c in codes)


def test_survey_with_rounds_cannot_lose_or_retype_questions(open_round, tmp_path):
    text = SURVEY_FILE.read_text(encoding="utf-8")
    retyped = text.replace(
        "        - key: universell-fritid\n"
        "          text: Genomför kommunen universella våldsförebyggande insatser inom "
        "fritidsverksamhet eller för allmänheten?\n"
        "          type: yes_no",
        "        - key: universell-fritid\n          text: Ändrad\n          type: text",
    )
    assert retyped != text
    with pytest.raises(ConfigError) as exc:
        load_survey_file(write(tmp_path, retyped))
    assert "universell-fritid" in str(exc.value) and "byta typ" in str(exc.value)
    assert Survey.objects.get().spec.questions()[0].key == "styrdokument"
    # adding a question is fine
    added = text.replace(
        "    - key: ovrigt\n",
        "    - key: extra\n      title: Extra\n      questions:\n"
        '        - {key: ny-fraga, text: "Ny fråga", type: yes_no, required: false}\n'
        "    - key: ovrigt\n",
    )
    load_survey_file(write(tmp_path, added))
    assert "ny-fraga" in {q.key for q in Survey.objects.get().spec.questions()}
