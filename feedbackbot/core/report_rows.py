"""The plain rows a report is computed from, and the tables it gives (pure values, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from feedbackbot.core.complaints import Event


@dataclass(frozen=True)
class CaseRow:
    """A complaint case: who complained, its categories and its dated events."""

    reference: str
    procedure: str
    child: bool
    topic: str | None
    service_area: str | None
    events: tuple[Event, ...]
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedbackRow:
    """One piece of feedback, as far as the reports need it (its words only for themes)."""

    reference: str
    kind: str
    received_on: date
    topic: str | None
    service_area: str | None
    themes: tuple[str, ...]
    outcome: str | None
    outcome_on: date | None
    safeguarding: bool
    thanked: str | None = None


@dataclass(frozen=True)
class ActionRow:
    """A learning action: who owns it, when it is due, and when it was added and done."""

    owner: str
    due_on: date
    added_on: date
    done_on: date | None


@dataclass(frozen=True)
class AlertRow:
    """A safeguarding alert and when a person acknowledged it."""

    created_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class AdvocacyRow:
    """An advocate offered to a child who complained, and the answer."""

    offered_on: date
    answer: str | None


@dataclass
class ReportRows:
    """Everything loaded for a report (both periods are computed from the same rows)."""

    cases: list[CaseRow] = field(default_factory=list)
    feedback: list[FeedbackRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    alerts: list[AlertRow] = field(default_factory=list)
    advocacy: list[AdvocacyRow] = field(default_factory=list)


@dataclass
class Table:
    """A titled table of plain values: one on the page, one CSV, one XLSX sheet."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]

    def as_dict(self) -> dict[str, Any]:
        """The table for JSON."""
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows}
