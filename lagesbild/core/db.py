"""Small ORM helpers shared by loaders and importers."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

T = TypeVar("T", bound=models.Model)


def upsert(model: type[T], *, defaults: dict[str, Any], **lookup: Any) -> tuple[T, str]:
    """Create, update or leave alone one row; returns (obj, "created" | "updated" | "unchanged").

    Unlike QuerySet.update_or_create this does not save an unchanged row, so re-loading the same
    configuration writes no new history entries.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), "created"
    changed = False
    for name, value in defaults.items():
        field = model._meta.get_field(name)
        current = getattr(obj, field.attname if field.is_relation else name)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()
        return obj, "updated"
    return obj, "unchanged"
