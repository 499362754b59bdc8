"""Complaint cases: deadlines derived from recorded events, and the procedure's rules for each step.

Pure. A case is a list of dated events (received, acknowledged, extended, paused, resumed,
responded, escalated...). Every read derives the stages and their deadlines from those events
and the current configuration, so a new bank holiday or a changed limit corrects every open case.
`check` says whether an action is allowed now, in words a complaints officer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.procedures import Procedure, stage_timescales

OUTCOMES = ("upheld", "partly_upheld", "not_upheld")
MEDIATION_OUTCOMES = ("resolved", "not_resolved")
ADVOCATE_ANSWERS = ("accepted", "declined", "already_has")


class RuleError(ValueError):
    """The action is not allowed by the procedure right now; the message says why."""


@dataclass(frozen=True)
class Event:
    """Something that happened to a case, on a date (Europe/London)."""

    kind: str
    stage: int
    on: date
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class StageView:
    """One stage as it stands: its dates, its deadlines and whether it was answered in time."""

    number: int
    name: str
    received: date
    clock_start: date
    acknowledge_by: date
    respond_by: date
    extended_respond_by: date | None
    extended: bool = False
    extension_reason: str | None = None
    acknowledged_on: date | None = None
    paused_working_days: int = 0
    paused_since: date | None = None
    pauses: list[tuple[date, date | None, str]] = field(default_factory=list)
    responded_on: date | None = None
    outcome: str | None = None
    statement_agreed_on: date | None = None
    panel_by: date | None = None
    panel_met_on: date | None = None
    panel_report_by: date | None = None
    panel_reported_on: date | None = None
    request_window_closes: date | None = None
    late_request_reason: str | None = None

    @property
    def due_by(self) -> date:
        """The response deadline that applies now (the extended one once extended)."""
        return self.extended_respond_by if self.extended and self.extended_respond_by else self.respond_by

    @property
    def answered_in_time(self) -> bool | None:
        """True or False once answered; None while open."""
        if self.responded_on is None:
            return None
        return self.responded_on <= self.due_by

    @property
    def acknowledged_in_time(self) -> bool | None:
        """True or False once acknowledged; None until then."""
        if self.acknowledged_on is None:
            return None
        return self.acknowledged_on <= self.acknowledge_by


@dataclass
class Deadline:
    """Something due on a case: what, by when, for which stage, and its reminder kind."""

    what: str
    due: date
    stage: int
    kind: str = "response"


@dataclass
class CaseView:
    """The whole case as derived from its events."""

    procedure: str
    stages: list[StageView]
    closed: bool = False
    closed_on: date | None = None
    mediation_started_on: date | None = None
    mediation_outcome: str | None = None
    mediation_on: date | None = None
    lead_assigned: bool = False
    advocate_answer: str | None = None

    @property
    def current(self) -> StageView:
        """The latest stage."""
        return self.stages[-1]

    def open_deadlines(self) -> list[Deadline]:
        """What is still due on this case, soonest first (nothing when closed)."""
        if self.closed:
            return []
        stage = self.current
        due: list[Deadline] = []
        if stage.paused_since is not None:
            return due
        if stage.acknowledged_on is None:
            due.append(Deadline("acknowledge", stage.acknowledge_by, stage.number))
        if stage.responded_on is None:
            if stage.panel_by and stage.panel_met_on is None:
                due.append(Deadline("panel meeting", stage.panel_by, stage.number))
            elif stage.panel_report_by and stage.panel_reported_on is None:
                due.append(Deadline("panel report", stage.panel_report_by, stage.number))
            key = "extended response" if stage.extended else "response"
            due.append(Deadline(key, stage.due_by, stage.number))
        elif stage.request_window_closes is not None:
            due.append(
                Deadline(
                    f"request for stage {stage.number + 1} window closes",
                    stage.request_window_closes,
                    stage.number,
                )
            )
        return sorted(due, key=lambda d: d.due)


def derive(procedure: Procedure, calendar: WorkingDayCalendar, events: list[Event], today: date) -> CaseView:
    """Replay the events in order and work out every stage's deadlines with today's configuration."""
    view = CaseView(procedure=procedure.key, stages=[])
    # Date order; events on the same day keep the order they were recorded in.
    for event in sorted(events, key=lambda e: e.on):
        if event.kind == "received":
            view.stages.append(_new_stage(procedure, calendar, event))
            continue
        if not view.stages:
            continue
        stage = view.stages[-1] if event.stage == view.stages[-1].number else _stage(view, event.stage)
        _apply(view, stage, event, calendar)
    for stage in view.stages:
        _recalculate(procedure, calendar, stage, today)
    return view


def _stage(view: CaseView, number: int) -> StageView:
    for stage in view.stages:
        if stage.number == number:
            return stage
    raise RuleError(f"stage {number} has not started")


def _new_stage(procedure: Procedure, calendar: WorkingDayCalendar, event: Event) -> StageView:
    config = procedure.stage(event.stage)
    times = stage_timescales(config, event.on, calendar)
    return StageView(
        number=event.stage,
        name=config.name,
        received=event.on,
        clock_start=times.clock_start,
        acknowledge_by=times.acknowledge_by,
        respond_by=times.respond_by,
        extended_respond_by=times.extended_respond_by,
        late_request_reason=event.data.get("late_reason"),
    )


def _apply(view: CaseView, stage: StageView, event: Event, calendar: WorkingDayCalendar) -> None:
    kind = event.kind
    if kind == "acknowledged":
        stage.acknowledged_on = event.on
    elif kind == "extended":
        stage.extended = True
        stage.extension_reason = event.data.get("reason")
    elif kind == "paused":
        stage.paused_since = event.on
        stage.pauses.append((event.on, None, event.data.get("reason", "")))
    elif kind == "resumed" and stage.paused_since is not None:
        start = stage.paused_since
        stage.pauses[-1] = (start, event.on, stage.pauses[-1][2])
        stage.paused_working_days += calendar.working_days_in(start, event.on - timedelta(days=1))
        stage.paused_since = None
    elif kind == "responded":
        stage.responded_on = event.on
        stage.outcome = event.data.get("outcome")
    elif kind == "statement_agreed":
        stage.statement_agreed_on = event.on
    elif kind == "panel_met":
        stage.panel_met_on = event.on
    elif kind == "panel_reported":
        stage.panel_reported_on = event.on
    elif kind == "mediation_started":
        view.mediation_started_on = event.on
    elif kind == "mediation_outcome":
        view.mediation_outcome = event.data.get("outcome")
        view.mediation_on = event.on
    elif kind == "lead_assigned":
        view.lead_assigned = True
    elif kind == "advocate":
        view.advocate_answer = event.data.get("answer")
    elif kind == "closed":
        view.closed, view.closed_on = True, event.on
    elif kind == "reopened":
        view.closed, view.closed_on = False, None


def _recalculate(procedure: Procedure, calendar: WorkingDayCalendar, stage: StageView, today: date) -> None:
    """Deadlines from today's configuration, moved by the working days the clock was paused."""
    config = procedure.stage(stage.number)
    paused = stage.paused_working_days
    if stage.paused_since is not None:  # still paused: deadlines move for as long as it lasts
        paused += calendar.working_days_in(stage.paused_since, max(today, stage.paused_since))
    times = stage_timescales(
        config,
        stage.received,
        calendar,
        acknowledged=stage.acknowledged_on,
        panel_met=stage.panel_met_on,
        panel_reported=stage.panel_reported_on,
        paused_working_days=paused,
    )
    stage.clock_start = times.clock_start
    stage.acknowledge_by = times.acknowledge_by
    stage.respond_by = times.respond_by
    stage.extended_respond_by = times.extended_respond_by
    stage.panel_by = times.panel_by
    stage.panel_report_by = times.panel_report_by
    if (
        stage.responded_on is not None
        and config.request_next_within is not None
        and stage.number < procedure.last_stage
    ):
        stage.request_window_closes = calendar.add_working_days(
            stage.responded_on, config.request_next_within
        )
    else:
        stage.request_window_closes = None


# --- the rules -------------------------------------------------------------------------------------


def check(view: CaseView, procedure: Procedure, action: str, on: date, today: date, **params: Any) -> None:
    """Raise RuleError when the procedure does not allow `action` on `on`; otherwise return."""
    stage = view.current
    if on > today:
        raise RuleError("that date is in the future")
    if action == "reopen":
        if not view.closed:
            raise RuleError("the complaint is not closed")
        _need(params, "reason", "Say why the complaint is being reopened.")
        return
    if view.closed:
        raise RuleError("the complaint is closed; reopen it first")
    if on < stage.received:
        raise RuleError(f"that date is before stage {stage.number} started ({stage.received:%d %b %Y})")
    if action == "acknowledge":
        if stage.acknowledged_on is not None:
            raise RuleError(
                f"stage {stage.number} was already acknowledged on {stage.acknowledged_on:%d %b %Y}"
            )
    elif action == "extend":
        if stage.responded_on is not None:
            raise RuleError(f"stage {stage.number} has been answered; there is nothing to extend")
        if stage.extended_respond_by is None:
            raise RuleError(f"the {procedure.key} procedure does not allow extending stage {stage.number}")
        if stage.extended:
            raise RuleError(
                f"stage {stage.number} is already extended to the longest the procedure allows "
                f"({stage.extended_respond_by:%d %b %Y})"
            )
        _need(
            params, "reason", "An extension needs a reason (for example: complex, or an advocate is needed)."
        )
    elif action == "pause":
        if stage.responded_on is not None:
            raise RuleError(f"stage {stage.number} has been answered; the clock has stopped")
        if stage.paused_since is not None:
            raise RuleError(f"the clock is already paused (since {stage.paused_since:%d %b %Y})")
        _need(params, "reason", "Pausing the clock needs a reason.")
    elif action == "resume":
        if stage.paused_since is None:
            raise RuleError("the clock is not paused")
        if on < stage.paused_since:
            raise RuleError("the clock cannot resume before it was paused")
    elif action == "respond":
        if stage.responded_on is not None:
            raise RuleError(f"stage {stage.number} was already answered on {stage.responded_on:%d %b %Y}")
        if params.get("outcome") not in OUTCOMES:
            raise RuleError("the outcome must be upheld, partly upheld or not upheld")
        _need(params, "text", "The response needs its text.")
        if stage.panel_by is not None and stage.panel_reported_on is None:
            raise RuleError("record the panel meeting and its report before the Trust responds")
    elif action == "escalate":
        _check_escalation(view, procedure, on, params)
    elif action == "start_mediation":
        if not procedure.mediation:
            raise RuleError(f"the {procedure.key} procedure has no mediation step")
        if stage.number != 1 or stage.responded_on is None:
            raise RuleError("mediation comes after the Stage 1 response and before Stage 2")
        if view.mediation_started_on is not None:
            raise RuleError("mediation has already been recorded")
    elif action == "mediation_outcome":
        if view.mediation_started_on is None:
            raise RuleError("record that mediation started first")
        if view.mediation_outcome is not None:
            raise RuleError("mediation already has an outcome")
        if params.get("outcome") not in MEDIATION_OUTCOMES:
            raise RuleError("the mediation outcome must be resolved or not resolved")
    elif action == "statement_agreed":
        if stage.number != 2:
            raise RuleError("the statement of complaint is agreed at Stage 2")
        if stage.statement_agreed_on is not None:
            raise RuleError("the statement of complaint was already agreed")
    elif action == "panel_met":
        if stage.panel_by is None:
            raise RuleError("only a review panel stage has a panel meeting")
        if stage.panel_met_on is not None:
            raise RuleError("the panel meeting was already recorded")
    elif action == "panel_reported":
        if stage.panel_met_on is None:
            raise RuleError("record the panel meeting first")
        if stage.panel_reported_on is not None:
            raise RuleError("the panel report was already recorded")
    elif action == "advocate":
        if params.get("answer") not in ADVOCATE_ANSWERS:
            raise RuleError("the answer must be accepted, declined or already has one")
    elif action == "close":
        _need(params, "reason", "Say why the complaint is being closed.")
    elif action not in {"assign_lead", "note"}:
        raise RuleError(f"unknown action {action!r}")


def _check_escalation(view: CaseView, procedure: Procedure, on: date, params: dict[str, Any]) -> None:
    stage = view.current
    if stage.number >= procedure.last_stage:
        raise RuleError(
            f"stage {stage.number} is the last stage of the {procedure.key} procedure; the complainant may go "
            "to the Local Government and Social Care Ombudsman"
        )
    if stage.responded_on is None:
        raise RuleError(f"stage {stage.number} has not been answered yet")
    if view.mediation_started_on is not None and view.mediation_outcome is None:
        raise RuleError("record how mediation ended before moving to Stage 2")
    if on < stage.responded_on:
        raise RuleError("the request cannot be before the response")
    closes = stage.request_window_closes
    if closes is not None and on > closes and not (params.get("late_reason") or "").strip():
        raise RuleError(
            f"the request came after the window closed on {closes:%d %b %Y}; record why the late "
            "request was accepted"
        )


def _need(params: dict[str, Any], key: str, message: str) -> None:
    value = params.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleError(message)


def suggest_procedure(*, channel: str, relationship: str | None, topic: str | None) -> str:
    """Suggest a procedure (a person decides): children's and their carers' complaints about
    social care are statutory; others (SEND, school transport, early help) are corporate."""
    if topic in {"school"} and relationship in {"parent", "other"}:
        return "corporate"
    if channel in {"web_chat", "api"} or relationship in {
        "self",
        "parent",
        "carer",
        "advocate",
        "foster_carer",
    }:
        return "statutory"
    return "corporate"
