"""Dataclasses ⇄ JSON, generically: how a published edition keeps its document model.

``dumps(obj)`` turns a tree of dataclasses, lists, dicts, strings, numbers, ``Decimal``, dates
and bytes into plain JSON-able data; every dataclass instance becomes an object with its class
name under ``"_type"``. ``loads(data, types=…)`` turns it back, looking the class names up in
``types`` (a module or a mapping). The serialiser knows no class of the report: it reads the
fields of whatever dataclasses it meets, so a field the builder adds later is stored without
changes here, and an edition stored before that field existed still loads (the field takes its
default; a stored field the class no longer has is ignored).

Decimals keep their exact digits (``{"_decimal": "6.9"}``), never a float. Bytes (the charts'
SVG and PNG images) are base64, or left out with ``drop_bytes=True``: the images of a
published edition live in its rendered files.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import types as pytypes
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

TYPE = "_type"
_DECIMAL, _BYTES, _DATE, _DATETIME, _TUPLE = "_decimal", "_bytes", "_date", "_datetime", "_tuple"
_MARKERS = {_DECIMAL, _BYTES, _DATE, _DATETIME, _TUPLE}


class SerialiseError(ValueError):
    pass


def dumps(obj: Any, *, drop_bytes: bool = False) -> Any:
    """``obj`` as JSON-able data (dicts, lists, strings, numbers, booleans, None)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {TYPE: type(obj).__name__}
        for f in dataclasses.fields(obj):
            out[f.name] = dumps(getattr(obj, f.name), drop_bytes=drop_bytes)
        return out
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, float):
        return obj
    if isinstance(obj, Decimal):
        return {_DECIMAL: str(obj)}
    if isinstance(obj, bytes | bytearray | memoryview):
        return {_BYTES: None if drop_bytes else base64.b64encode(bytes(obj)).decode("ascii")}
    if isinstance(obj, dt.datetime):
        return {_DATETIME: obj.isoformat()}
    if isinstance(obj, dt.date):
        return {_DATE: obj.isoformat()}
    if isinstance(obj, tuple):
        return {_TUPLE: [dumps(x, drop_bytes=drop_bytes) for x in obj]}
    if isinstance(obj, list | set | frozenset):
        return [dumps(x, drop_bytes=drop_bytes) for x in obj]
    if isinstance(obj, Mapping):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise SerialiseError(f"Nyckeln {key!r} är inte en sträng.")
            if key == TYPE or key in _MARKERS:
                raise SerialiseError(f"Nyckeln {key!r} är reserverad för serialiseringen.")
            out[key] = dumps(value, drop_bytes=drop_bytes)
        return out
    raise SerialiseError(f"Kan inte spara ett värde av typen {type(obj).__name__}.")


def loads(data: Any, *, types: pytypes.ModuleType | Mapping[str, type]) -> Any:
    """The object tree ``dumps`` made, with dataclasses looked up by name in ``types``."""
    registry = _registry(types)
    return _load(data, registry)


def _registry(types: pytypes.ModuleType | Mapping[str, type]) -> dict[str, type]:
    if isinstance(types, pytypes.ModuleType):
        types = vars(types)
    return {
        name: cls
        for name, cls in types.items()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    }


def _load(data: Any, registry: dict[str, type]) -> Any:
    if isinstance(data, list):
        return [_load(x, registry) for x in data]
    if not isinstance(data, dict):
        return data
    if TYPE in data:
        name = data[TYPE]
        cls = registry.get(name)
        if cls is None:
            raise SerialiseError(f"Okänd typ i det sparade dokumentet: {name!r}.")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs, later = {}, {}
        for key, value in data.items():
            f = fields.get(key)
            if f is None:
                continue  # a field the class no longer has
            (kwargs if f.init else later)[key] = _load(value, registry)
        missing = [
            f.name
            for f in fields.values()
            if f.init
            and f.name not in kwargs
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise SerialiseError(
                f"{name} saknar fälten {', '.join(missing)} och de har inget standardvärde."
            )
        obj = cls(**kwargs)
        for key, value in later.items():
            object.__setattr__(obj, key, value)
        return obj
    if len(data) == 1:
        ((key, value),) = data.items()
        if key == _DECIMAL:
            return Decimal(value)
        if key == _BYTES:
            return b"" if value is None else base64.b64decode(value)
        if key == _DATE:
            return dt.date.fromisoformat(value)
        if key == _DATETIME:
            return dt.datetime.fromisoformat(value)
        if key == _TUPLE:
            return tuple(_load(x, registry) for x in value)
    return {key: _load(value, registry) for key, value in data.items()}
