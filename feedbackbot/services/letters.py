"""Letters to the person who complained: filled from the case, glossary-checked, stored as sent.

A letter is a dated event on the case (kind "letter", with its kind, text and how it was sent),
so it sits in the case's history with every other step and is shown on the case page, its
timeline and /check exactly as it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from feedbackbot.core.complaints import CaseView
from feedbackbot.core.conversation import format_date
from feedbackbot.core.glossary import Finding
from feedbackbot.core.letters import Letters, fill, load_letters
from feedbackbot.extensions import db
from feedbackbot.models import Complaint, ComplaintEvent, Relationship, StaffUser
from feedbackbot.services import clock
from feedbackbot.services import complaints as cases
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import bundled, domain
from feedbackbot.services.glossary import prepare_outgoing


@cache
def templates() -> Letters:
    """The bundled letter templates (validated once)."""
    return load_letters(bundled("letters.yaml"))


@dataclass(frozen=True)
class SentLetter:
    """A letter as it was sent."""

    id: int
    kind: str
    title: str
    stage: int
    sent_on: date
    text: str
    method: str | None


@dataclass(frozen=True)
class Draft:
    """A letter filled from the case, with what the glossary found in it, before it is sent."""

    kind: str
    text: str
    findings: list[Finding]
    rewritten: str


def _day(value: date | None) -> str:
    return format_date(value) if value else ""


def values(complaint: Complaint, view: CaseView, **extra: Any) -> dict[str, str]:
    """The case's facts, as the letter templates name them."""
    letters = templates()
    stage = view.current
    procedure = domain().procedures.procedure(complaint.procedure)
    name = complaint.complainant_name or complaint.feedback.name or ""
    lead = stage.lead_name or (complaint.lead_manager.name if complaint.lead_manager else None)
    child = complaint.complainant_relationship == Relationship.SELF.value
    next_number = stage.number + 1
    findings = stage.findings or extra.get("findings") or []
    out = {
        "greeting": f"Dear {name}" if name else "Hello",
        "name": name,
        "reference": complaint.reference,
        "received": _day(stage.received),
        "stage": str(stage.number),
        "stage_name": f"Stage {stage.number} ({stage.name})",
        "lead_sentence": letters.lead["named"].format(lead=lead) if lead else letters.lead["not_named"],
        "respond_by": _day(stage.due_by),
        "advocate_sentence": letters.advocate["child" if child else "other"],
        "reason": (stage.extension_reason or "").rstrip(".") + "." if stage.extension_reason else "",
        "new_date": _day(stage.due_by),
        "outcome_words": letters.outcome_words.get(stage.outcome or "", ""),
        "response": (extra.get("response") or "").strip(),
        "findings": "\n".join(
            f"- {f['point']}: {letters.outcome_words.get(f['finding'], f['finding'])}" for f in findings
        ),
        "next_stage_name": f"Stage {next_number} ({procedure.stages[next_number].name})"
        if next_number in procedure.stages
        else "",
        "next_stage_until": _day(stage.request_window_closes),
        "ombudsman": letters.contacts["ombudsman"],
        "ofsted_sentence": letters.contacts["ofsted"] if complaint.procedure == "statutory" else "",
        "team": letters.contacts["team"],
    }
    return out


def outcome_kind(complaint: Complaint, view: CaseView) -> str:
    """The final letter after the last stage (Ombudsman); otherwise the outcome letter."""
    procedure = domain().procedures.procedure(complaint.procedure)
    return "final" if view.current.number >= procedure.last_stage else "outcome"


def draft(complaint: Complaint, kind: str, view: CaseView | None = None, **extra: Any) -> Draft:
    """Fill a letter from the case and check its words, for staff to read before it goes."""
    view = view or cases.case_view(complaint)
    text = fill(templates(), kind, values(complaint, view, **extra))
    findings, rewritten = cases.check_message(text)
    return Draft(kind, text, findings, rewritten)


def send_letter(
    staff: StaffUser | None,
    complaint: Complaint,
    kind: str,
    on: date | None = None,
    *,
    text: str | None = None,
    method: str | None = None,
    send_as_written: bool = False,
    **extra: Any,
) -> ComplaintEvent:
    """Store a letter as sent, in the caller's transaction; words young people asked us not to use
    stop it (422 with the findings) unless staff confirm they are intended."""
    view = cases.case_view(complaint)
    body = (
        text.strip() if text and text.strip() else fill(templates(), kind, values(complaint, view, **extra))
    )
    findings, rewritten = cases.check_message(body)
    if findings and not send_as_written:
        db.session.rollback()
        raise cases.WordingFindings(findings, rewritten)
    body = prepare_outgoing(body)
    event = ComplaintEvent(
        stage=view.current.number,
        kind="letter",
        occurred_on=on or clock.today(),
        actor_id=staff.id if staff else None,
        data={"letter": kind, "text": body, "method": method or cases.default_method(complaint)},
    )
    complaint.events.append(event)
    db.session.flush()
    record_event(
        Actor.staff(staff) if staff else Actor.system("services"),
        "complaint.letter_sent",
        "complaint",
        complaint.reference,
        after={
            "letter": kind,
            "letter_id": event.id,
            "stage": view.current.number,
            "glossary_findings_kept": len(findings),
        },
    )
    return event


def letters_for(complaint: Complaint) -> list[SentLetter]:
    """Every letter sent on the case, oldest first."""
    titles = templates().titles
    return [
        SentLetter(
            e.id,
            (e.data or {}).get("letter", ""),
            titles.get((e.data or {}).get("letter", ""), "Letter"),
            e.stage,
            e.occurred_on,
            (e.data or {}).get("text", ""),
            (e.data or {}).get("method"),
        )
        for e in sorted(complaint.events, key=lambda e: (e.occurred_on, e.id))
        if e.kind == "letter"
    ]


def letter(complaint: Complaint, letter_id: int) -> SentLetter:
    """One sent letter of the case."""
    for item in letters_for(complaint):
        if item.id == letter_id:
            return item
    raise cases.NotFound(f"{complaint.reference} has no letter {letter_id}")
