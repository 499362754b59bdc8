"""Categories staff give feedback and complaints: the Trust's service areas, from configuration.

Pure. `parse_service_areas` validates the `service_areas:` list of the procedures file, so the
Trust can rename or add an area without a code change; reports count by these ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

AREA_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class CategoryConfigError(ValueError):
    """The service areas are unusable; the message says which entry and why."""


@dataclass(frozen=True)
class ServiceArea:
    """One of the Trust's service areas: a stable id for the record, a label for people."""

    id: str
    label: str


def parse_service_areas(raw: Any, source: str = "procedures.yaml") -> dict[str, ServiceArea]:
    """Validate a list of {id, label}; ids are unique lower_snake_case, labels non-empty text."""
    if raw is None:
        return {}
    if not isinstance(raw, list) or not raw:
        raise CategoryConfigError(f"{source}: service_areas must be a list of {{id, label}}")
    areas: dict[str, ServiceArea] = {}
    for n, entry in enumerate(raw, start=1):
        where = f"{source}: service_areas entry {n}"
        if not isinstance(entry, dict) or set(entry) - {"id", "label"}:
            raise CategoryConfigError(f"{where} must have only `id` and `label`")
        area_id, label = entry.get("id"), entry.get("label")
        if not isinstance(area_id, str) or not AREA_ID.match(area_id):
            raise CategoryConfigError(
                f"{where}: id must be lower_snake_case text of up to 40 characters, not {area_id!r}"
            )
        if not isinstance(label, str) or not label.strip():
            raise CategoryConfigError(f"{where} ({area_id}) needs a `label`")
        if area_id in areas:
            raise CategoryConfigError(f"{where}: id {area_id!r} is listed twice")
        areas[area_id] = ServiceArea(area_id, label.strip())
    return areas
