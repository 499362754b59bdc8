"""Reminders before and after every deadline, and the digests: rows in the outbox, exactly once.

The sweep reads only the records near a deadline (the complaint deadline index, loop tasks and
learning actions by due date), works out which reminders are due now (core/reminders.py) and
queues each as an outbox row whose key names the record, the deadline, the step and the
recipient. The database's unique key makes a second clock, a restarted run or a retried job a
no-op. Nothing is queued outside working hours; what fell due then goes at the next opening.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from feedbackbot.core.conversation import format_date
from feedbackbot.core.reminders import Schedule, Step, split_due
from feedbackbot.extensions import db
from feedbackbot.models import (
    CaseStatus,
    Complaint,
    LearningAction,
    LoopStatus,
    LoopTask,
    OutboxMessage,
    OutboxStatus,
    StaffUser,
)
from feedbackbot.services import advocacy, clock, outbox
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.complaints import case_view
from feedbackbot.services.config import domain
from feedbackbot.services.errors import NotFound
from feedbackbot.slack.blocks import digest_blocks, reminder_blocks

SWEEP_LOCK = 7_240_001  # PostgreSQL advisory lock id: one sweep at a time across clock processes


def schedule() -> Schedule:
    """Working days and hours, from configuration."""
    return Schedule(domain().calendar, domain().procedures.reminders, current_app.config["TIMEZONE"])


def _link(path: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}{path}"


@dataclass(frozen=True)
class DueDeadline:
    """A deadline on a record, with who owns it (for a direct message)."""

    record_type: str
    record_id: int
    reference: str
    title: str
    kind: str
    what: str
    due: date
    owner: StaffUser | None
    path: str


@dataclass
class SweepResult:
    """What one sweep queued."""

    queued: int = 0
    superseded: int = 0
    considered: int = 0
    skipped: str | None = None
    keys: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.skipped:
            return f"no reminders queued: {self.skipped}"
        return f"{self.queued} reminder(s) queued, {self.superseded} superseded, {self.considered} deadline(s) looked at"


def due_deadlines(today: date) -> list[DueDeadline]:
    """Open deadlines close enough to need a reminder soon (only these records are read)."""
    horizon = domain().calendar.add_working_days(today, domain().procedures.reminders.max_warning + 1)
    found: list[DueDeadline] = []
    cases = db.session.scalars(
        select(Complaint)
        .where(
            Complaint.status == CaseStatus.OPEN.value,
            Complaint.next_deadline_on.is_not(None),
            Complaint.next_deadline_on <= horizon,
        )
        # In a few queries for all of them, not three per case (events, reference, lead).
        .options(
            selectinload(Complaint.events),
            selectinload(Complaint.feedback),
            selectinload(Complaint.lead_manager),
        )
    )
    for complaint in cases:
        view = case_view(complaint, today)
        for deadline in view.open_deadlines():
            if deadline.due <= horizon:
                found.append(
                    DueDeadline(
                        "complaint",
                        complaint.id,
                        complaint.reference,
                        f"{complaint.procedure} complaint, stage {deadline.stage}",
                        deadline.kind,
                        deadline.what,
                        deadline.due,
                        complaint.lead_manager,
                        f"/staff/complaints/{complaint.reference}",
                    )
                )
    tasks = db.session.scalars(
        select(LoopTask)
        .where(LoopTask.status == LoopStatus.OPEN.value, LoopTask.due_on <= horizon)
        .options(selectinload(LoopTask.feedback))
    )
    for task in tasks:
        owner = db.session.get(StaffUser, task.assigned_to_id) if task.assigned_to_id else None
        found.append(
            DueDeadline(
                "loop_task",
                task.id,
                task.feedback.reference,
                f"closing the loop ({task.feedback.kind})",
                "loop_task",
                "tell the young person",
                task.due_on,
                owner,
                f"/staff/loop/{task.id}",
            )
        )
    actions = db.session.scalars(
        select(LearningAction)
        .where(LearningAction.done.is_(False), LearningAction.due_on <= horizon)
        .options(selectinload(LearningAction.complaint).selectinload(Complaint.feedback))
    )
    for action in actions:
        found.append(
            DueDeadline(
                "learning_action",
                action.id,
                action.complaint.reference,
                "learning action",
                "learning_action",
                action.action[:60],
                action.due_on,
                action.owner,
                f"/staff/complaints/{action.complaint.reference}",
            )
        )
    for referral in advocacy.open_referrals():
        due = advocacy.contact_by(referral)
        if due is not None and due <= horizon:
            found.append(
                DueDeadline(
                    "advocacy_referral",
                    referral.id,
                    referral.feedback.reference,
                    "advocacy referral",
                    "advocate_contact",
                    "advocate makes contact" if referral.referred_on else "refer to an advocate",
                    due,
                    None,
                    f"/staff/feedback/{referral.feedback.reference}",
                )
            )
    return found


def _key(deadline: DueDeadline, step: Step, recipient: str) -> str:
    return (
        f"reminder:{deadline.record_type}:{deadline.record_id}:{deadline.kind}:"
        f"{deadline.due.isoformat()}:{step.name}:{recipient}"
    )


def _days_note(deadline: date, today: date) -> str:
    calendar = domain().calendar
    if deadline == today:
        return "due today"
    if deadline > today:
        left = calendar.working_days_between(today, deadline)
        return f"due in {left} working day{'s' if left != 1 else ''}"
    late = calendar.working_days_between(deadline, today)
    return f"overdue by {late} working day{'s' if late != 1 else ''}"


def _message(
    deadline: DueDeadline, step: Step, recipient: str, target: str | None, today: date
) -> outbox.NewMessage:
    key = _key(deadline, step, recipient)
    text_, blocks = reminder_blocks(
        reference=deadline.reference,
        title=deadline.title,
        what=deadline.what,
        due=format_date(deadline.due),
        step_kind=step.kind,
        days_note=_days_note(deadline.due, today),
        owner=deadline.owner.name if deadline.owner else None,
        link=_link(deadline.path),
        ack_value=key,
    )
    return outbox.NewMessage(
        key,
        f"reminder_{step.kind}",
        target,
        {"text": text_, "blocks": blocks},
        related=(deadline.record_type, deadline.record_id),
    )


def _try_lock() -> bool:
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        db.session.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": SWEEP_LOCK}).scalar()
    )


def sweep() -> SweepResult:
    """Queue every reminder whose moment has come; safe to run as often and as many times as wanted."""
    now = clock.now()
    when = schedule()
    result = SweepResult()
    if not when.in_working_hours(now):
        result.skipped = "outside working hours; anything due goes at the next opening"
        return result
    if not _try_lock():
        db.session.rollback()
        result.skipped = "another clock is sweeping right now"
        return result
    today = when.local(now).date()
    channel = current_app.config.get("SLACK_COMPLAINTS_CHANNEL")
    managers = current_app.config.get("SLACK_MANAGERS_CHANNEL")
    cancelled: list[outbox.NewMessage] = []
    reminders: list[outbox.NewMessage] = []
    for deadline in due_deadlines(today):
        result.considered += 1
        send, superseded = split_due(when.steps(deadline.kind, deadline.due, now))
        for step in superseded:
            cancelled.append(
                outbox.NewMessage(
                    _key(deadline, step, "channel"),
                    f"reminder_{step.kind}",
                    channel,
                    {},
                    related=(deadline.record_type, deadline.record_id),
                    status=OutboxStatus.CANCELLED.value,
                )
            )
        if send is None:
            continue
        recipients = [("managers", managers)] if send.kind == "escalation" else [("channel", channel)]
        if deadline.owner is not None and deadline.owner.slack_user_id:
            recipients.append(("dm", deadline.owner.slack_user_id))
        for recipient, target in recipients:
            reminders.append(_message(deadline, send, recipient, target, today))
    # All at once: one look-up and one INSERT per thousand rows (the unique key still makes a
    # second clock or a rerun a no-op).
    result.superseded = len(outbox.enqueue_many(cancelled))
    result.keys = outbox.enqueue_many(reminders)
    result.queued = len(result.keys)
    db.session.commit()
    return result


def acknowledge_reminder(key: str, staff: StaffUser | None, label: str) -> OutboxMessage:
    """Someone has seen a reminder: say so in the audit trail and on the Slack message."""
    row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    if row is None:
        raise NotFound("that reminder is not known")
    name = staff.name if staff else label
    record_event(
        Actor.staff(staff) if staff else Actor(label=f"slack:{label}"),
        "reminder.acknowledged",
        row.related_type or "reminder",
        row.related_id or row.id,
        after={"reminder": key, "by": name},
    )
    if row.slack_channel and row.slack_ts:
        blocks = [b for b in row.payload.get("blocks", []) if b.get("type") != "actions"]
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f":white_check_mark: Seen by {name}"}],
            }
        )
        outbox.enqueue(
            f"{key}:seen",
            "slack_update",
            row.slack_channel,
            {
                "method": "chat.update",
                "channel": row.slack_channel,
                "ts": row.slack_ts,
                "text": row.payload.get("text", ""),
                "blocks": blocks,
            },
            related=(row.related_type or "reminder", row.related_id or row.id),
        )
    db.session.commit()
    return row


# --- digests ---------------------------------------------------------------------------------------


def _deadline_line(deadline: DueDeadline) -> str:
    return f"{deadline.reference} {deadline.what} by {format_date(deadline.due)} ({deadline.title})"


def daily_digest() -> OutboxMessage | None:
    """At the start of each working day: due today, due in 2 working days, and overdue, by owner."""
    local_today = schedule().local(clock.now()).date()
    today = _opening_of([local_today])
    if today is None:
        return None
    soon = domain().calendar.add_working_days(today, 2)
    groups: dict[str, list[DueDeadline]] = defaultdict(list)
    for deadline in due_deadlines(today):
        if deadline.due < today:
            groups["Overdue"].append(deadline)
        elif deadline.due == today:
            groups["Due today"].append(deadline)
        elif deadline.due <= soon:
            groups["Due in the next 2 working days"].append(deadline)
    sections = []
    for heading in ("Overdue", "Due today", "Due in the next 2 working days"):
        by_owner = sorted(
            groups[heading], key=lambda d: ((d.owner.name if d.owner else "~unassigned"), d.due)
        )
        sections.append(
            (heading, [f"{d.owner.name if d.owner else 'no owner'}: {_deadline_line(d)}" for d in by_owner])
        )
    return _queue_digest(
        f"digest:daily:{today.isoformat()}",
        "digest_daily",
        "SLACK_COMPLAINTS_CHANNEL",
        f"Complaints and feedback for {format_date(today)}",
        sections,
    )


def _first_working_day(days: list[date]) -> date | None:
    return next((d for d in days if domain().calendar.is_working_day(d)), None)


def _opening_of(candidates: list[date]) -> date | None:
    """Today, if it is the first working day among `candidates` and the digest time has come."""
    now = clock.now()
    when = schedule()
    local = when.local(now)
    if not when.in_working_hours(now) or local.time() < domain().procedures.reminders.digest_at:
        return None
    today = local.date()
    return today if _first_working_day(candidates) == today else None


def _queue_digest(
    key: str,
    kind: str,
    channel_setting: str,
    title: str,
    sections: list[tuple[str, list[str]]],
    path: str = "/staff/",
) -> OutboxMessage | None:
    text_, blocks = digest_blocks(title, sections, _link(path))
    row = outbox.enqueue(
        key, kind, current_app.config.get(channel_setting), {"text": text_, "blocks": blocks}
    )
    db.session.commit()
    return row


def weekly_digest() -> OutboxMessage | None:
    """On the first working day of the week, the managers' view of complaints and learning."""
    from feedbackbot.services.reports import weekly_summary

    local_today = schedule().local(clock.now()).date()
    monday = local_today - timedelta(days=local_today.weekday())
    today = _opening_of([monday + timedelta(days=i) for i in range(5)])
    if today is None:
        return None
    year, week, _ = today.isocalendar()
    return _queue_digest(
        f"digest:weekly:{year}-W{week:02d}",
        "digest_weekly",
        "SLACK_MANAGERS_CHANNEL",
        f"Week {week}: complaints and learning",
        weekly_summary(today),
    )


def monthly_report() -> OutboxMessage | None:
    """On the first working day of the month, last month's report to senior managers."""
    from feedbackbot.services.reports import monthly_report as build
    from feedbackbot.services.reports import report_sections

    if not domain().procedures.reminders.monthly_report:
        return None
    local_today = schedule().local(clock.now()).date()
    today = _opening_of([local_today.replace(day=d) for d in range(1, 8)])
    if today is None:
        return None
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    report = build(year, month)
    return _queue_digest(
        f"report:monthly:{year}-{month:02d}",
        "report_monthly",
        "SLACK_MANAGERS_CHANNEL",
        f"Monthly report: {report['period']}",
        report_sections(report),
        f"/staff/reports?period=month&at={year}-{month:02d}",  # the full report, charts and downloads
    )
