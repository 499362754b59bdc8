"""The learning register: every learning action from complaints, its owner, due date, status and
evidence; filtered, exported, and completed by its owner whatever their role."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import LearningAction, StaffUser
from feedbackbot.services import clock
from feedbackbot.services.complaints import COMPLAINT_ROLES
from feedbackbot.services.errors import Invalid

STATUSES = ("open", "overdue", "done", "all")
# Managers, the complaints team and admins see every action; anyone else sees the ones they own.
REGISTER_ROLES = COMPLAINT_ROLES


@dataclass(frozen=True)
class RegisterRow:
    """One learning action as the register shows it."""

    id: int
    reference: str
    action: str
    owner: str
    owner_id: int | None
    due_on: date
    status: str
    done_on: date | None
    evidence: str | None


def _status(item: LearningAction, today: date) -> str:
    if item.done:
        return "done"
    return "overdue" if item.due_on < today else "open"


def learning_register(
    staff: StaffUser, *, status: str = "all", owner_id: int | None = None, mine: bool = False
) -> list[RegisterRow]:
    """The actions this member of staff may see, filtered by status and owner, soonest due first."""
    if status not in STATUSES:
        raise Invalid(f"the status must be one of {', '.join(STATUSES)}")
    query = select(LearningAction).order_by(LearningAction.due_on, LearningAction.id)
    if mine or staff.role not in REGISTER_ROLES:
        query = query.where(LearningAction.owner_id == staff.id)
    elif owner_id is not None:
        query = query.where(LearningAction.owner_id == owner_id)
    today = clock.today()
    rows = [
        RegisterRow(
            item.id,
            item.complaint.reference,
            item.action,
            item.owner_name,
            item.owner_id,
            item.due_on,
            _status(item, today),
            item.done_at.date() if item.done_at else None,
            item.evidence,
        )
        for item in db.session.scalars(query)
    ]
    if status == "all":
        return rows
    if status == "open":
        return [r for r in rows if r.status in {"open", "overdue"}]
    return [r for r in rows if r.status == status]


def register_owners() -> list[tuple[int, str]]:
    """Everyone who owns a learning action (for the owner filter)."""
    rows = db.session.execute(
        select(LearningAction.owner_id, LearningAction.owner_name)
        .where(LearningAction.owner_id.is_not(None))
        .distinct()
        .order_by(LearningAction.owner_name)
    )
    return [(owner_id, name) for owner_id, name in rows]


def register_csv(rows: list[RegisterRow]) -> str:
    """The register as CSV (a header line, then one line per action)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Complaint", "Learning action", "Owner", "Due", "Status", "Done on", "Evidence"])
    for r in rows:
        writer.writerow(
            [
                r.reference,
                r.action,
                r.owner,
                r.due_on.isoformat(),
                r.status,
                r.done_on or "",
                r.evidence or "",
            ]
        )
    return out.getvalue()
