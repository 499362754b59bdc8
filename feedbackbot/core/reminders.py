"""When each reminder about a deadline is due, in working hours on working days. Pure.

For a deadline D: a warning at the opening of the working day N working days before D (for each
N configured), an overdue alert at the opening of the first working day after D, and while still
overdue an escalation at the opening of every later working day. A reminder whose moment has
passed is sent once; if a later reminder for the same deadline is already due (the clock was
down), the earlier one is superseded rather than sent late and out of order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from feedbackbot.core.calendar import WorkingDayCalendar

DEADLINE_KINDS = (
    "acknowledge",
    "response",
    "extended_response",
    "panel",
    "loop_task",
    "learning_action",
    "request_window",
    "advocate_contact",
)


class ReminderConfigError(ValueError):
    """The reminders section of the configuration is unusable."""


@dataclass(frozen=True)
class Policy:
    """What to send about one kind of deadline."""

    warn: tuple[int, ...] = (2, 0)
    overdue: bool = True
    escalate_daily: bool = True


@dataclass(frozen=True)
class ReminderConfig:
    """Working hours, per-kind policies and when the digests go."""

    opens: time = time(9, 0)
    closes: time = time(17, 0)
    policies: dict[str, Policy] = field(default_factory=dict)
    digest_at: time = time(9, 0)
    weekly_on: int = 0  # Monday
    monthly_report: bool = True

    def policy(self, kind: str) -> Policy:
        """The policy for a deadline kind (the defaults when the kind has none of its own)."""
        return self.policies.get(kind, Policy())

    @property
    def max_warning(self) -> int:
        """The most working days ahead any warning looks."""
        return max((max(p.warn, default=0) for p in self.policies.values()), default=2)


def _time(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ReminderConfigError(f"{where} must be a time like 09:00") from None


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def parse_reminders(data: Any) -> ReminderConfig:
    """Validate the `reminders:` section."""
    if data is None:
        return ReminderConfig(policies={k: Policy() for k in DEADLINE_KINDS})
    if not isinstance(data, dict):
        raise ReminderConfigError("reminders must be a mapping")
    hours = data.get("working_hours") or {}
    opens = _time(hours.get("start", "09:00"), "reminders.working_hours.start")
    closes = _time(hours.get("end", "17:00"), "reminders.working_hours.end")
    if closes <= opens:
        raise ReminderConfigError("reminders.working_hours must end after they start")
    defaults = data.get("defaults") or {}
    policies = {}
    for kind in DEADLINE_KINDS:
        raw = {**defaults, **((data.get("kinds") or {}).get(kind) or {})}
        warn = raw.get("warn", [2, 0])
        if not isinstance(warn, list) or not all(isinstance(w, int) and w >= 0 for w in warn):
            raise ReminderConfigError(f"reminders.kinds.{kind}.warn must be a list of working days")
        policies[kind] = Policy(tuple(sorted(set(warn), reverse=True)), bool(raw.get("overdue", True)),
                                bool(raw.get("escalate_daily", True)))  # fmt: skip
    unknown = set(data.get("kinds") or {}) - set(DEADLINE_KINDS)
    if unknown:
        raise ReminderConfigError(f"unknown reminder kind(s): {', '.join(sorted(unknown))}")
    digest = data.get("digest") or {}
    weekly = str(digest.get("weekly_on", "monday")).lower()
    if weekly not in WEEKDAYS:
        raise ReminderConfigError("reminders.digest.weekly_on must be a weekday")
    return ReminderConfig(
        opens=opens,
        closes=closes,
        policies=policies,
        digest_at=_time(digest.get("daily_at", "09:00"), "reminders.digest.daily_at"),
        weekly_on=WEEKDAYS.index(weekly),
        monthly_report=bool(digest.get("monthly_report", True)),
    )


@dataclass(frozen=True)
class Step:
    """One reminder about a deadline: its name (part of the unique key) and when it is due."""

    name: str
    due_at: datetime
    kind: str  # warning, overdue, escalation


class Schedule:
    """Working days and hours in the Trust's time zone."""

    def __init__(self, calendar: WorkingDayCalendar, config: ReminderConfig, timezone: str) -> None:
        self.calendar = calendar
        self.config = config
        self.zone = ZoneInfo(timezone)

    def opening(self, day: date) -> datetime:
        """The moment a working day opens."""
        return datetime.combine(day, self.config.opens, tzinfo=self.zone)

    def local(self, moment: datetime) -> datetime:
        """A moment in the Trust's time zone."""
        return moment.astimezone(self.zone)

    def in_working_hours(self, moment: datetime) -> bool:
        """On a working day, between opening and closing."""
        local = self.local(moment)
        return (
            self.calendar.is_working_day(local.date())
            and self.config.opens <= local.time() < self.config.closes
        )

    def next_opening(self, moment: datetime) -> datetime:
        """Now when in working hours; otherwise the next opening."""
        if self.in_working_hours(moment):
            return moment
        local = self.local(moment)
        day = local.date()
        if self.calendar.is_working_day(day) and local.time() < self.config.opens:
            return self.opening(day)
        return self.opening(self.calendar.next_working_day(day))

    def working_days_before(self, deadline: date, days: int) -> date:
        """The working day `days` working days before a deadline (0: the deadline's own working day)."""
        day = deadline
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        counted = 0
        while counted < days:
            day -= timedelta(days=1)
            if self.calendar.is_working_day(day):
                counted += 1
        return day

    def steps(self, kind: str, deadline: date, now: datetime) -> list[Step]:
        """Every reminder about this deadline whose moment has come, in order."""
        policy = self.config.policy(kind)
        out = [
            Step(f"warn{days}", self.opening(self.working_days_before(deadline, days)), "warning")
            for days in policy.warn
        ]
        if policy.overdue:
            first_late = self.calendar.next_working_day(deadline)
            out.append(Step("overdue", self.opening(first_late), "overdue"))
            if policy.escalate_daily:
                day = self.calendar.next_working_day(first_late)
                today = self.local(now).date()
                while day <= today:
                    out.append(Step(f"escalate-{day.isoformat()}", self.opening(day), "escalation"))
                    day = self.calendar.next_working_day(day)
        return sorted((s for s in out if s.due_at <= now), key=lambda s: s.due_at)


def split_due(steps: list[Step]) -> tuple[Step | None, list[Step]]:
    """Of the reminders due now, the one to send (the latest) and the ones it supersedes."""
    if not steps:
        return None, []
    return steps[-1], steps[:-1]
