"""Retention rules read from configuration: how long each record type is kept, and what happens then.

Pure: the file is parsed into plain values and each rule answers "until when is a record kept".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

RECORD_TYPES = ("complaint", "feedback", "conversation", "safeguarding_alert", "outbox", "audit")
ANCHORS = {
    "complaint": {"closure"},
    "feedback": {"last_change", "created"},
    "conversation": {"last_change", "created"},
    "safeguarding_alert": {"created"},
    "outbox": {"finished"},
    "audit": {"created"},
}
ACTIONS = {
    "complaint": {"anonymise"},
    "feedback": {"anonymise"},
    "conversation": {"delete"},
    "safeguarding_alert": {"anonymise"},
    "outbox": {"delete"},
    "audit": {"delete"},
}


class RetentionConfigError(ValueError):
    """The retention file is missing a record type or says something the code cannot do."""


@dataclass(frozen=True)
class Rule:
    """One record type's retention: keep for `years` or `days` after `after`, then `action`."""

    record_type: str
    label: str
    years: int
    days: int
    after: str
    action: str
    promise: str

    @property
    def period(self) -> str:
        """The period in words, for the privacy page and the CLI."""
        if self.years:
            return f"{self.years} year{'s' if self.years != 1 else ''}"
        return f"{self.days} day{'s' if self.days != 1 else ''}"

    def cutoff(self, now: datetime) -> datetime:
        """Records whose anchor time is before this are past their retention."""
        if self.years:
            return _years_before(now, self.years)
        return now - timedelta(days=self.days)

    def cutoff_date(self, today: date) -> date:
        """The same for rules counted from a date (a case's closure)."""
        if self.years:
            return _years_before(today, self.years)
        return today - timedelta(days=self.days)

    def public_promise(self) -> str:
        """The sentence the privacy page shows, with the period filled in."""
        return self.promise.replace("{period}", self.period)


def _years_before(moment: Any, years: int) -> Any:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class RetentionPolicy:
    """Every record type's rule."""

    rules: dict[str, Rule]

    def rule(self, record_type: str) -> Rule:
        """The rule for one record type."""
        return self.rules[record_type]

    def ordered(self) -> list[Rule]:
        """The rules in a fixed order (the privacy page, the CLI's summary)."""
        return [self.rules[name] for name in RECORD_TYPES]


def parse_policy(data: Any, source: str = "retention file") -> RetentionPolicy:
    """Check and convert the parsed YAML; every problem is one message naming the record type."""
    if not isinstance(data, dict):
        raise RetentionConfigError(f"{source}: expected a mapping of record types")
    missing = [name for name in RECORD_TYPES if name not in data]
    if missing:
        raise RetentionConfigError(f"{source}: no rule for {', '.join(missing)}")
    unknown = sorted(set(data) - set(RECORD_TYPES))
    if unknown:
        raise RetentionConfigError(f"{source}: unknown record type {', '.join(unknown)}")
    rules = {}
    for name in RECORD_TYPES:
        entry = data[name]
        where = f"{source}: {name}"
        if not isinstance(entry, dict):
            raise RetentionConfigError(f"{where}: expected a mapping")
        keep = entry.get("keep")
        if not isinstance(keep, dict) or set(keep) - {"years", "days"} or len(keep) != 1:
            raise RetentionConfigError(f"{where}: keep must be {{years: N}} or {{days: N}}")
        amount = next(iter(keep.values()))
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise RetentionConfigError(f"{where}: keep must be a whole number of at least 1")
        after, action = entry.get("after"), entry.get("action")
        if after not in ANCHORS[name]:
            raise RetentionConfigError(f"{where}: after must be one of {', '.join(sorted(ANCHORS[name]))}")
        if action not in ACTIONS[name]:
            raise RetentionConfigError(f"{where}: action must be one of {', '.join(sorted(ACTIONS[name]))}")
        label, promise = entry.get("label"), entry.get("promise")
        if not isinstance(label, str) or not isinstance(promise, str) or not promise.strip():
            raise RetentionConfigError(f"{where}: label and promise must be text")
        rules[name] = Rule(
            record_type=name,
            label=label.strip(),
            years=amount if "years" in keep else 0,
            days=amount if "days" in keep else 0,
            after=after,
            action=action,
            promise=" ".join(promise.split()),
        )
    return RetentionPolicy(rules)


def load_policy(path: Path | str) -> RetentionPolicy:
    """Read the retention file; a missing or broken file is a RetentionConfigError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RetentionConfigError(f"cannot read the retention file {path}: {exc}") from None
    return parse_policy(data, str(path))
