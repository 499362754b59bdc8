"""What each member of staff has to do, and by when: the dashboard's queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import (
    Complaint,
    Feedback,
    LearningAction,
    StaffUser,
    Status,
)
from feedbackbot.services import advocacy, clock
from feedbackbot.services.complaints import (
    COMPLAINT_ROLES,
    LOOP_ROLES,
    SAFEGUARDING_TEXT_ROLES,
    open_cases,
    open_loop_tasks,
    working_days_left,
)
from feedbackbot.services.safeguarding import category_labels, open_alerts

URGENCY_ORDER = {"overdue": 0, "new": 1, "today": 2, "soon": 3, "later": 4}


@dataclass(frozen=True)
class QueueItem:
    """A line in the queue: what, about which record, due when, and where to act on it."""

    kind: str
    reference: str
    title: str
    what: str
    due: date | None
    link: tuple[str, dict[str, object]]  # the dashboard endpoint and its arguments
    owner: str | None = None
    safeguarding: bool = False
    urgency: str = "later"
    days_left: int | None = None


def _urgency(due: date | None, today: date) -> tuple[str, int | None]:
    if due is None:
        return "new", None
    left = working_days_left(due, today)
    if due < today:
        return "overdue", left
    if due == today:
        return "today", 0
    return ("soon" if left <= 2 else "later"), left


def _item(
    kind: str,
    reference: str,
    title: str,
    what: str,
    due: date | None,
    link: tuple[str, dict[str, object]],
    today: date,
    **extra: object,
) -> QueueItem:
    urgency, left = _urgency(due, today)
    return QueueItem(kind, reference, title, what, due, link, urgency=urgency, days_left=left, **extra)  # type: ignore[arg-type]


def work_queue(staff: StaffUser, sort: str = "due") -> list[QueueItem]:
    """Everything due or waiting that this member of staff's role covers."""
    today = clock.today()
    items: list[QueueItem] = []
    if staff.role in SAFEGUARDING_TEXT_ROLES:
        for alert in open_alerts():
            what = ", ".join(category_labels(alert.categories)) or "asked for help"
            items.append(
                _item(
                    "safeguarding",
                    alert.reference,
                    "Safeguarding alert",
                    what,
                    None,
                    ("dashboard.safeguarding_alert", {"alert_id": alert.id}),
                    today,
                    safeguarding=True,
                )
            )
        waiting = db.session.scalars(
            select(Feedback)
            .where(
                Feedback.safeguarding.is_(True),
                Feedback.kind != "complaint",
                Feedback.status == Status.RECEIVED.value,
            )
            .order_by(Feedback.received_at)
        )
        for feedback in waiting:
            items.append(
                _item(
                    "safeguarding_feedback",
                    feedback.reference,
                    "Feedback with a disclosure",
                    "read it with the safeguarding alert",
                    None,
                    ("dashboard.feedback_page", {"reference": feedback.reference}),
                    today,
                    safeguarding=True,
                )
            )
    if staff.role in COMPLAINT_ROLES:
        opened = set(db.session.scalars(select(Complaint.feedback_id)))
        waiting = db.session.scalars(
            select(Feedback)
            .where(Feedback.kind == "complaint", Feedback.status == Status.RECEIVED.value)
            .order_by(Feedback.received_at)
        )
        for feedback in waiting:
            if feedback.id not in opened:
                items.append(
                    _item(
                        "new_complaint",
                        feedback.reference,
                        "New complaint",
                        "open a case",
                        None,
                        ("dashboard.feedback_page", {"reference": feedback.reference}),
                        today,
                        safeguarding=feedback.safeguarding,
                    )
                )
        for complaint, view in open_cases():
            for deadline in view.open_deadlines():
                items.append(
                    _item(
                        "complaint",
                        complaint.reference,
                        f"{complaint.procedure.title()} complaint, stage {deadline.stage}",
                        deadline.what,
                        deadline.due,
                        ("dashboard.complaint_page", {"reference": complaint.reference}),
                        today,
                        owner=complaint.lead_manager.name if complaint.lead_manager else None,
                        safeguarding=complaint.feedback.safeguarding,
                    )
                )
        for action in db.session.scalars(select(LearningAction).where(LearningAction.done.is_(False))):
            items.append(
                _item(
                    "learning",
                    action.complaint.reference,
                    "Learning action",
                    action.action[:80],
                    action.due_on,
                    ("dashboard.complaint_page", {"reference": action.complaint.reference}),
                    today,
                    owner=action.owner_name,
                )
            )
    else:
        # Owners in any other role see their own learning actions, and complete them in the register.
        for action in db.session.scalars(
            select(LearningAction).where(LearningAction.done.is_(False), LearningAction.owner_id == staff.id)
        ):
            items.append(
                _item(
                    "learning",
                    action.complaint.reference,
                    "Learning action",
                    action.action[:80],
                    action.due_on,
                    ("dashboard.learning_register_page", {}),
                    today,
                    owner=action.owner_name,
                )
            )
    if staff.role in LOOP_ROLES:
        for task in open_loop_tasks():
            items.append(
                _item(
                    "loop",
                    task.feedback.reference,
                    f"Close the loop ({task.feedback.kind})",
                    "tell the young person",
                    task.due_on,
                    ("dashboard.loop_page", {"task_id": task.id}),
                    today,
                    safeguarding=task.feedback.safeguarding,
                )
            )
        # Feedback holding a disclosure is a safeguarding matter, never a new compliment or idea.
        concerns = db.session.scalars(
            select(Feedback)
            .where(
                Feedback.kind.in_(["concern", "compliment", "idea", "question"]),
                Feedback.status == Status.RECEIVED.value,
                Feedback.safeguarding.is_(False),
            )
            .order_by(Feedback.received_at)
        )
        for feedback in concerns:
            items.append(
                _item(
                    feedback.kind,
                    feedback.reference,
                    f"New {feedback.kind}",
                    "record what came of it",
                    None,
                    ("dashboard.feedback_page", {"reference": feedback.reference}),
                    today,
                    safeguarding=feedback.safeguarding,
                )
            )
    if staff.role in COMPLAINT_ROLES | LOOP_ROLES:
        for referral in advocacy.open_referrals():
            due = advocacy.contact_by(referral)
            items.append(
                _item(
                    "advocacy",
                    referral.feedback.reference,
                    "Advocate accepted",
                    "advocate makes contact" if referral.referred_on else "refer to an advocate",
                    due,
                    ("dashboard.feedback_page", {"reference": referral.feedback.reference}),
                    today,
                    safeguarding=referral.feedback.safeguarding,
                )
            )
    if sort == "reference":
        return sorted(items, key=lambda i: i.reference)
    if sort == "kind":
        return sorted(items, key=lambda i: (i.kind, i.due or date.max))
    return sorted(items, key=lambda i: (URGENCY_ORDER[i.urgency], i.due or date.min, i.reference))
