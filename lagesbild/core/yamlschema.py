"""Strict YAML loading: pydantic checks the shape, YAML node marks give the line numbers.

`load_yaml(path, Model)` returns a validated model or raises ConfigError whose problems each name
the file, the line and the field, in Swedish. Nothing is written by this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    import yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} rad {self.line}" if self.line else self.file
        field = f", fält '{self.field}'" if self.field else ""
        from lagesbild.core.uploads import shorten  # a message never echoes a huge value

        return f"{shorten(where, 200)}{field}: {shorten(self.message, 500)}"


class ConfigError(Exception):
    """One or more problems in configuration files; nothing has been written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_MESSAGES = {
    "missing": "fältet saknas",
    "extra_forbidden": "okänt fält",
    "string_type": "ska vara en text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "literal_error": "otillåtet värde",
    "enum": "otillåtet värde",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "string_too_short": "får inte vara tom",
    "decimal_parsing": "ska vara ett tal",
    "decimal_type": "ska vara ett tal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "int_from_float": "ska vara ett heltal",
    "none_required": "ska vara tomt",
    "date_type": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "url_parsing": "ska vara en webbadress",
}

# Messages with values from pydantic's context.
_TEMPLATES = {
    "too_short": "listan måste ha minst {min_length} element",
    "too_long": "listan får ha högst {max_length} element",
    "string_too_long": "får vara högst {max_length} tecken",
    "string_pattern_mismatch": "har fel form (ska matcha {pattern})",
    "greater_than_equal": "ska vara minst {ge}",
    "greater_than": "ska vara större än {gt}",
    "less_than_equal": "ska vara högst {le}",
    "less_than": "ska vara mindre än {lt}",
}


def swedish_message(err: dict) -> str:
    """A pydantic error in Swedish; never pydantic's English text."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in {"literal_error", "enum"} and "expected" in ctx:
        allowed = str(ctx["expected"]).replace(" or ", " eller ")
        return f"otillåtet värde {err.get('input')!r}, tillåtna: {allowed}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in _TEMPLATES:
        try:
            return _TEMPLATES[kind].format(**ctx)
        except (KeyError, IndexError):
            pass
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return f"ogiltigt värde (feltyp {kind})"


def _line_index(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    import yaml  # here, not at the top: the views import this module for its exceptions

    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), out)
    return out


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, name: str | None = None) -> tuple[Any, dict[tuple, int]]:
    """The file's data and each node's line; `name` is what problems call the file (an upload's
    own name, not the temporary file it was written to)."""
    name = name or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(name, None, "", "filen saknas")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [Problem(name, None, "", f"filen är inte UTF-8 ({exc.reason})")]
        ) from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        # Compose once (the nodes carry line numbers), then construct the data from the same
        # nodes; libyaml's C loader when PyYAML has it, which is ~10× faster.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([Problem(name, line, "", f"ogiltig YAML: {problem}")]) from None
    finally:
        loader.dispose()
    lines = _line_index(node) if node is not None else {}
    return data, lines


def validate(data: Any, lines: dict[tuple, int], model: type[M], file_name: str) -> M:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            message = swedish_message(err)
            problems.append(
                Problem(file_name, _nearest_line(lines, loc), _field_name(loc), message)
            )
        raise ConfigError(problems) from None


def load_yaml(path: Path, model: type[M]) -> tuple[M, dict[tuple, int]]:
    data, lines = read_yaml(path)
    return validate(data, lines, model, path.name), lines
