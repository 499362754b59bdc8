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
from feedbackbot.core.procedures import Procedure, ProceduresConfig, stage_timescales

OUTCOMES = ("upheld", "partly_upheld", "not_upheld")
# How mediation on a Stage 2 request ended; while it runs it is "in_progress".
MEDIATION_OUTCOMES = ("resolved", "not_resolved", "withdrawn")
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
    clock_stopped_working_days: int = 0
    paused_since: date | None = None
    pause_stops_clock: bool = False
    pauses: list[Pause] = field(default_factory=list)
    responded_on: date | None = None
    response_method: str | None = None
    response_received_on: date | None = None
    outcome: str | None = None
    findings: list[dict[str, str]] = field(default_factory=list)
    lead_id: int | None = None
    lead_name: str | None = None
    requested_by: str | None = None
    request_reason: str | None = None
    statement_agreed_on: date | None = None
    points: list[str] = field(default_factory=list)
    mediation_started_on: date | None = None
    mediation_outcome: str | None = None
    mediation_on: date | None = None
    mediation_working_days: int = 0
    panel_by: date | None = None
    panel_met_on: date | None = None
    panel_report_by: date | None = None
    panel_reported_on: date | None = None
    request_window_closes: date | None = None
    late_request_reason: str | None = None

    @property
    def mediation_status(self) -> str | None:
        """None when there was no mediation; in_progress while it runs; then how it ended."""
        if self.mediation_started_on is None:
            return None
        return self.mediation_outcome or "in_progress"

    @property
    def in_mediation(self) -> bool:
        """Mediation on this stage's request has started and not ended."""
        return self.mediation_status == "in_progress"

    @property
    def due_by(self) -> date:
        """The response deadline that applies now (the extended one once extended)."""
        return self.extended_respond_by if self.extended and self.extended_respond_by else self.respond_by

    @property
    def answered_in_time(self) -> bool | None:
        """True or False once answered; None while open.

        Judged against the statutory limits: only clock-stopping pauses (and mediation the
        complainant agreed to) move the deadline; any other hold counts against it.
        """
        if self.responded_on is None:
            return None
        return self.responded_on <= self.due_by

    @property
    def acknowledged_in_time(self) -> bool | None:
        """True or False once acknowledged; None until then."""
        if self.acknowledged_on is None:
            return None
        return self.acknowledged_on <= self.acknowledge_by


@dataclass(frozen=True)
class Pause:
    """A hold on a stage: when, why, and whether the reason stops the statutory clock."""

    start: date
    end: date | None
    reason: str
    label: str
    stops_clock: bool
    note: str = ""


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
    lead_assigned: bool = False
    advocate_answer: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def mediation_stage(self) -> StageView | None:
        """The stage whose request mediation was offered on, if any."""
        return next((s for s in reversed(self.stages) if s.mediation_started_on), None)

    @property
    def mediation_started_on(self) -> date | None:
        """When mediation started (None when there was none)."""
        stage = self.mediation_stage
        return stage.mediation_started_on if stage else None

    @property
    def mediation_outcome(self) -> str | None:
        """How mediation ended (None while it runs or when there was none)."""
        stage = self.mediation_stage
        return stage.mediation_outcome if stage else None

    @property
    def mediation_on(self) -> date | None:
        """When mediation ended."""
        stage = self.mediation_stage
        return stage.mediation_on if stage else None

    def stage(self, number: int) -> StageView | None:
        """A stage by number, if it has started."""
        return next((s for s in self.stages if s.number == number), None)

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
        if stage.paused_since is not None and stage.pause_stops_clock:
            return due
        # Answering a stage closes all its deadlines, the acknowledgement's too.
        if stage.acknowledged_on is None and stage.responded_on is None:
            due.append(Deadline("acknowledge", stage.acknowledge_by, stage.number))
        if stage.responded_on is None and stage.in_mediation:
            pass  # the clock stands still while mediation runs
        elif stage.responded_on is None:
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


def derive(
    procedure: Procedure,
    calendar: WorkingDayCalendar,
    events: list[Event],
    today: date,
    config: ProceduresConfig | None = None,
) -> CaseView:
    """Replay the events in order and work out every stage's deadlines with today's configuration."""
    config = config or ProceduresConfig(procedures={procedure.key: procedure})
    view = CaseView(procedure=procedure.key, stages=[])
    # Date order; events on the same day keep the order they were recorded in.
    for event in sorted(events, key=lambda e: e.on):
        if event.kind == "received":
            view.stages.append(_new_stage(procedure, calendar, event))
            continue
        if not view.stages:
            continue
        stage = view.stages[-1] if event.stage == view.stages[-1].number else _stage(view, event.stage)
        _apply(view, stage, event, calendar, config)
    for stage in view.stages:
        _recalculate(procedure, calendar, stage, today, config)
    view.warnings = _warnings(view)
    return view


def _warnings(view: CaseView) -> list[str]:
    """What a complaints officer should know about the case's fairness."""
    out = []
    first = view.stage(1)
    for stage in view.stages[1:]:
        if first and stage.lead_id is not None and stage.lead_id == first.lead_id:
            out.append(
                f"Stage {stage.number} is led by {stage.lead_name}, who led Stage 1: it should be "
                "someone independent of Stage 1"
            )
    return out


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
        requested_by=event.data.get("by"),
        request_reason=event.data.get("reason"),
    )


def _apply(
    view: CaseView, stage: StageView, event: Event, calendar: WorkingDayCalendar, config: ProceduresConfig
) -> None:
    kind = event.kind
    data = event.data
    if kind == "acknowledged":
        stage.acknowledged_on = event.on
    elif kind == "extended":
        stage.extended = True
        stage.extension_reason = data.get("reason")
    elif kind == "paused":
        reason = config.pause_reason(str(data.get("reason", "")))
        stage.paused_since, stage.pause_stops_clock = event.on, reason.stops_clock
        stage.pauses.append(
            Pause(event.on, None, reason.key, reason.label, reason.stops_clock, data.get("note") or "")
        )
    elif kind == "resumed" and stage.paused_since is not None:
        start = stage.paused_since
        last = stage.pauses[-1]
        stage.pauses[-1] = Pause(start, event.on, last.reason, last.label, last.stops_clock, last.note)
        days = calendar.working_days_in(start, event.on - timedelta(days=1))
        stage.paused_working_days += days
        if last.stops_clock:
            stage.clock_stopped_working_days += days
        stage.paused_since, stage.pause_stops_clock = None, False
    elif kind == "responded":
        stage.responded_on = event.on
        stage.outcome = data.get("outcome")
        stage.response_method = data.get("method")
        stage.findings = list(data.get("findings") or [])
    elif kind == "statement_agreed":
        stage.statement_agreed_on = event.on
        stage.points = list(data.get("points") or [])
    elif kind == "panel_met":
        stage.panel_met_on = event.on
    elif kind == "panel_reported":
        stage.panel_reported_on = event.on
    elif kind == "mediation_started":
        stage.mediation_started_on = event.on
    elif kind == "mediation_outcome":
        stage.mediation_outcome = data.get("outcome")
        stage.mediation_on = event.on
        if stage.mediation_started_on is not None and stage.responded_on is None:
            stage.mediation_working_days = calendar.working_days_in(
                stage.mediation_started_on, event.on - timedelta(days=1)
            )
    elif kind == "lead_assigned":
        view.lead_assigned = True
        stage.lead_id, stage.lead_name = data.get("lead_id"), data.get("lead")
    elif kind == "advocate":
        view.advocate_answer = data.get("answer")
    elif kind == "closed":
        view.closed, view.closed_on = True, event.on
    elif kind == "reopened":
        view.closed, view.closed_on = False, None


def _recalculate(
    procedure: Procedure,
    calendar: WorkingDayCalendar,
    stage: StageView,
    today: date,
    config: ProceduresConfig,
) -> None:
    """Deadlines from today's configuration, moved only by the working days the clock was stopped."""
    stage_config = procedure.stage(stage.number)
    stopped = stage.clock_stopped_working_days + stage.mediation_working_days
    running_until = max(today, stage.received)
    if stage.paused_since is not None and stage.pause_stops_clock:  # deadlines move while it lasts
        stopped += calendar.working_days_in(stage.paused_since, max(today, stage.paused_since))
    if stage.in_mediation and stage.mediation_started_on is not None:
        stopped += calendar.working_days_in(
            stage.mediation_started_on, max(running_until, stage.mediation_started_on)
        )
    times = stage_timescales(
        stage_config,
        stage.received,
        calendar,
        acknowledged=stage.acknowledged_on,
        panel_met=stage.panel_met_on,
        panel_reported=stage.panel_reported_on,
        paused_working_days=stopped,
    )
    stage.clock_start = times.clock_start
    stage.acknowledge_by = times.acknowledge_by
    stage.respond_by = times.respond_by
    stage.extended_respond_by = times.extended_respond_by
    stage.panel_by = times.panel_by
    stage.panel_report_by = times.panel_report_by
    if stage.responded_on is not None:
        # The complainant's window counts from when they received the answer.
        stage.response_received_on = calendar.add_working_days(
            stage.responded_on, config.delivery(stage.response_method)
        )
    if (
        stage.response_received_on is not None
        and stage_config.request_next_within is not None
        and stage.number < procedure.last_stage
    ):
        stage.request_window_closes = calendar.add_working_days(
            stage.response_received_on, stage_config.request_next_within
        )
    else:
        stage.request_window_closes = None


def next_stage_status(view: CaseView, procedure: Procedure, today: date) -> tuple[bool, str]:
    """Whether the complainant may ask for the next stage today, and if not, why not."""
    try:
        check(view, procedure, "escalate", today, today)
    except RuleError as exc:
        return False, str(exc)
    return True, ""


# --- the rules -------------------------------------------------------------------------------------


def check(
    view: CaseView,
    procedure: Procedure,
    action: str,
    on: date,
    today: date,
    config: ProceduresConfig | None = None,
    **params: Any,
) -> None:
    """Raise RuleError when the procedure does not allow `action` on `on`; otherwise return."""
    config = config or ProceduresConfig(procedures={procedure.key: procedure})
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
        if params.get("reason") not in config.pause_reasons:
            known = "; ".join(
                f"{r.key} ({r.label}{', stops the clock' if r.stops_clock else ''})"
                for r in config.pause_reasons.values()
            )
            raise RuleError(f"a case may be put on hold only for one of these reasons: {known}")
    elif action == "resume":
        if stage.paused_since is None:
            raise RuleError("the clock is not paused")
        if on < stage.paused_since:
            raise RuleError("the clock cannot resume before it was paused")
    elif action == "respond":
        if stage.responded_on is not None:
            raise RuleError(f"stage {stage.number} was already answered on {stage.responded_on:%d %b %Y}")
        if stage.points:
            check_findings(stage.points, params.get("findings"))
        if params.get("outcome") not in OUTCOMES:
            raise RuleError("the outcome must be upheld, partly upheld or not upheld")
        _need(params, "text", "The response needs its text.")
        if stage.panel_by is not None and stage.panel_reported_on is None:
            raise RuleError("record the panel meeting and its report before the Trust responds")
        if stage.in_mediation:
            raise RuleError("mediation is still in progress; record how it ended first")
    elif action == "escalate":
        _check_escalation(view, procedure, on, params)
    elif action == "start_mediation":
        if not procedure.mediation:
            raise RuleError(f"the {procedure.key} procedure has no mediation step")
        if stage.number != 2 or stage.responded_on is not None:
            raise RuleError("mediation is offered on a Stage 2 request: record the request for Stage 2 first")
        if stage.mediation_started_on is not None:
            raise RuleError("mediation has already been recorded")
        if stage.statement_agreed_on is not None:
            raise RuleError("the Stage 2 investigation has started (the statement of complaint is agreed)")
    elif action == "mediation_outcome":
        if stage.mediation_started_on is None:
            raise RuleError("record that mediation started first")
        if stage.mediation_outcome is not None:
            raise RuleError("mediation already has an outcome")
        if params.get("outcome") not in MEDIATION_OUTCOMES:
            raise RuleError("the mediation outcome must be resolved, not resolved or withdrawn")
        if on < stage.mediation_started_on:
            raise RuleError("mediation cannot end before it started")
    elif action == "statement_agreed":
        if stage.number != 2:
            raise RuleError("the statement of complaint is agreed at Stage 2")
        if stage.statement_agreed_on is not None:
            raise RuleError("the statement of complaint was already agreed")
        if stage.in_mediation:
            raise RuleError("mediation is still in progress; record how it ended first")
        points = params.get("points")
        if points is not None and (
            not isinstance(points, list)
            or not all(isinstance(p, str) and p.strip() for p in points)
            or len({p.strip() for p in points}) != len(points)
        ):
            raise RuleError("the points of complaint must be a list of different, non-empty texts")
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
    elif action == "assign_lead":
        first = view.stage(1)
        if (
            stage.number > 1
            and config.stage2_same_lead == "refuse"
            and first is not None
            and first.lead_id is not None
            and params.get("lead_id") == first.lead_id
        ):
            raise RuleError(
                f"{first.lead_name} led Stage 1; Stage {stage.number} must be led by someone independent of it"
            )
    elif action != "note":
        raise RuleError(f"unknown action {action!r}")


def _check_escalation(view: CaseView, procedure: Procedure, on: date, params: dict[str, Any]) -> None:
    stage = view.current
    if stage.number >= procedure.last_stage:
        raise RuleError(
            f"stage {stage.number} is the last stage of the {procedure.key} procedure; the complainant may go "
            "to the Local Government and Social Care Ombudsman"
        )
    if stage.in_mediation:
        raise RuleError("mediation is still in progress; record how it ended first")
    if stage.responded_on is None:
        if stage.paused_since is not None and stage.pause_stops_clock:
            raise RuleError(f"stage {stage.number} is on hold ({stage.pauses[-1].label.lower()})")
        if on <= stage.due_by:
            raise RuleError(
                f"stage {stage.number} has not been answered yet; the next stage may be asked for once "
                f"the answer is overdue (after {stage.due_by:%d %b %Y})"
            )
        return
    if on < stage.responded_on:
        raise RuleError("the request cannot be before the response")
    closes = stage.request_window_closes
    if closes is not None and on > closes and not (params.get("late_reason") or "").strip():
        raise RuleError(
            f"the request came after the window closed on {closes:%d %b %Y}; record why the late "
            "request was accepted"
        )


def check_findings(points: list[str], findings: Any) -> None:
    """Every agreed point of complaint gets exactly one finding."""
    if not isinstance(findings, list) or not findings:
        raise RuleError(
            f"the statement of complaint lists {len(points)} point(s); give a finding for each "
            "(upheld, partly upheld or not upheld)"
        )
    seen = []
    for item in findings:
        point = item.get("point") if isinstance(item, dict) else None
        if isinstance(point, int) and not isinstance(point, bool) and 1 <= point <= len(points):
            point = points[point - 1]
        if point not in points:
            raise RuleError(f"{point!r} is not one of the agreed points of complaint")
        if item.get("finding") not in OUTCOMES:
            raise RuleError(f"the finding on {point!r} must be upheld, partly upheld or not upheld")
        seen.append(point)
    missing = [p for p in points if p not in seen]
    if missing or len(seen) != len(set(seen)):
        raise RuleError(f"give exactly one finding for each point; missing: {', '.join(missing) or 'none'}")


def normalise_findings(points: list[str], findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Findings in the order of the agreed points, each named by its text."""
    by_point = {}
    for item in findings:
        point = item["point"]
        if isinstance(point, int):
            point = points[point - 1]
        by_point[point] = item["finding"]
    return [{"point": p, "finding": by_point[p]} for p in points]


def overall_outcome(findings: list[dict[str, str]]) -> str:
    """One outcome for the stage from its findings on each point."""
    kinds = {f["finding"] for f in findings}
    if kinds == {"upheld"}:
        return "upheld"
    if kinds == {"not_upheld"}:
        return "not_upheld"
    return "partly_upheld"


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
