"""Complaint procedures as configuration: stages, limits in working days, and what follows from them.

Pure. `load_procedures` reads the YAML (feedbackbot/data/procedures.yaml by default) and
`stage_timescales` turns a stage and the dates recorded so far into its deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from feedbackbot.core import yamlfile
from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.categories import CategoryConfigError, ServiceArea, parse_service_areas
from feedbackbot.core.reminders import ReminderConfig, ReminderConfigError, parse_reminders

PROCEDURES = ("statutory", "corporate")
RESPOND_FROM = ("receipt", "acknowledgement", "panel_report")


class ProcedureConfigError(ValueError):
    """The procedures file is unusable; the message says where and why."""


@dataclass(frozen=True)
class Stage:
    """Limits of one stage, in working days."""

    number: int
    name: str
    acknowledge: int
    respond: int
    extended_respond: int | None
    respond_from: str
    request_next_within: int | None = None
    panel: int | None = None
    panel_report: int | None = None


@dataclass(frozen=True)
class Procedure:
    """A complaints procedure: its stages and whether it has a mediation step."""

    key: str
    name: str
    source: str
    stages: dict[int, Stage]
    mediation: bool
    time_limit_months: int

    def stage(self, number: int) -> Stage:
        """Give a stage, or say which stages exist."""
        if number not in self.stages:
            raise ProcedureConfigError(
                f"the {self.key} procedure has stages {', '.join(map(str, sorted(self.stages)))}, not {number}"
            )
        return self.stages[number]

    @property
    def last_stage(self) -> int:
        """Number of the final stage."""
        return max(self.stages)


@dataclass(frozen=True)
class PauseReason:
    """A reason a case may be put on hold, and whether it stops the statutory clock."""

    key: str
    label: str
    stops_clock: bool


DEFAULT_PAUSE_REASONS = {
    "police_enquiry": PauseReason("police_enquiry", "A police enquiry is running alongside", True),
    "child_protection_enquiry": PauseReason(
        "child_protection_enquiry", "A child protection enquiry is running alongside", True
    ),
    "complainant_asked": PauseReason("complainant_asked", "The complainant asked for time", True),
}
LEAD_INDEPENDENCE = ("warn", "refuse")


@dataclass(frozen=True)
class ProceduresConfig:
    """Everything in the procedures file."""

    procedures: dict[str, Procedure]
    promises: dict[str, int] = field(default_factory=dict)
    closing_the_loop_within: int = 5
    reminders: ReminderConfig = field(default_factory=lambda: parse_reminders(None))
    pause_reasons: dict[str, PauseReason] = field(default_factory=lambda: dict(DEFAULT_PAUSE_REASONS))
    # Working days a response takes to reach the complainant, by how it was sent.
    delivery_days: dict[str, int] = field(default_factory=lambda: {"letter": 2})
    # What happens when Stage 2 is given to the person who led Stage 1: warn, or refuse.
    stage2_same_lead: str = "warn"
    # Working days from acknowledgement by which an advocate must have made contact.
    advocate_contact_within: int = 5
    # The Trust's service areas staff categorise feedback by (id -> area), in the file's order.
    service_areas: dict[str, ServiceArea] = field(default_factory=dict)

    def pause_reason(self, key: str) -> PauseReason:
        """A configured pause reason; an unknown one (kept from older records) does not stop the clock."""
        return self.pause_reasons.get(key) or PauseReason(key, key, False)

    def delivery(self, method: str | None) -> int:
        """Working days for a response sent this way to be received (0 unless configured)."""
        return self.delivery_days.get(method or "", 0)

    def procedure(self, key: str) -> Procedure:
        """Give a procedure by key (statutory or corporate)."""
        if key not in self.procedures:
            raise ProcedureConfigError(f"unknown procedure {key!r}; known: {', '.join(self.procedures)}")
        return self.procedures[key]


def _int(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> int | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProcedureConfigError(f"{where}.{key} must be a whole number of working days")
    return value


def parse_procedures(data: Any, source: str = "procedures.yaml") -> ProceduresConfig:
    """Validate the parsed YAML and build the configuration."""
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), dict):
        raise ProcedureConfigError(f"{source}: needs a `procedures:` mapping")
    procedures = {}
    for key, raw in data["procedures"].items():
        where = f"{source}: procedures.{key}"
        if not isinstance(raw, dict) or not isinstance(raw.get("stages"), dict) or not raw["stages"]:
            raise ProcedureConfigError(f"{where} needs `stages:`")
        stages = {}
        for number, s in raw["stages"].items():
            swhere = f"{where}.stages.{number}"
            if not isinstance(number, int) or not isinstance(s, dict):
                raise ProcedureConfigError(f"{swhere}: stages are numbered mappings")
            respond_from = s.get("respond_from", "receipt")
            if respond_from not in RESPOND_FROM:
                raise ProcedureConfigError(f"{swhere}.respond_from must be one of {', '.join(RESPOND_FROM)}")
            stage = Stage(
                number=number,
                name=str(s.get("name", f"Stage {number}")),
                acknowledge=_int(s, "acknowledge", swhere),  # type: ignore[arg-type]
                respond=_int(s, "respond", swhere),  # type: ignore[arg-type]
                extended_respond=_int(s, "extended_respond", swhere, required=False),
                respond_from=respond_from,
                request_next_within=_int(s, "request_next_within", swhere, required=False),
                panel=_int(s, "panel", swhere, required=False),
                panel_report=_int(s, "panel_report", swhere, required=False),
            )
            if stage.extended_respond is not None and stage.extended_respond < stage.respond:
                raise ProcedureConfigError(f"{swhere}.extended_respond is shorter than respond")
            if respond_from == "panel_report" and (stage.panel is None or stage.panel_report is None):
                raise ProcedureConfigError(
                    f"{swhere}: responding from the panel report needs panel and panel_report"
                )
            stages[number] = stage
        if sorted(stages) != list(range(1, len(stages) + 1)):
            raise ProcedureConfigError(f"{where}: stages must be numbered 1, 2, 3...")
        procedures[key] = Procedure(
            key=key,
            name=str(raw.get("name", key)),
            source=str(raw.get("source", "")).strip(),
            stages=stages,
            mediation=bool(raw.get("mediation", False)),
            time_limit_months=int(raw.get("time_limit_months", 12)),
        )
    promises = data.get("promises") or {}
    if not isinstance(promises, dict) or not all(isinstance(v, int) and v >= 0 for v in promises.values()):
        raise ProcedureConfigError(f"{source}: promises must map a kind to working days")
    loop = data.get("closing_the_loop_within", 5)
    if not isinstance(loop, int) or loop < 0:
        raise ProcedureConfigError(f"{source}: closing_the_loop_within must be working days")
    try:
        reminders = parse_reminders(data.get("reminders"))
    except ReminderConfigError as exc:
        raise ProcedureConfigError(f"{source}: {exc}") from None
    return ProceduresConfig(
        procedures=procedures,
        promises=dict(promises),
        closing_the_loop_within=loop,
        reminders=reminders,
        **_case_rules(data, source),
    )


def _case_rules(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Pause reasons, delivery days, the Stage 2 lead rule, the advocate's deadline, service areas."""
    out: dict[str, Any] = {}
    raw_reasons = data.get("pause_reasons")
    if raw_reasons is not None:
        if not isinstance(raw_reasons, dict) or not raw_reasons:
            raise ProcedureConfigError(f"{source}: pause_reasons must map a key to a label and stops_clock")
        reasons = {}
        for key, raw in raw_reasons.items():
            if (
                not isinstance(raw, dict)
                or not isinstance(raw.get("stops_clock"), bool)
                or not raw.get("label")
            ):
                raise ProcedureConfigError(
                    f"{source}: pause_reasons.{key} needs a `label` and `stops_clock: true|false`"
                )
            reasons[str(key)] = PauseReason(str(key), str(raw["label"]), raw["stops_clock"])
        out["pause_reasons"] = reasons
    delivery = data.get("delivery_days")
    if delivery is not None:
        if not isinstance(delivery, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in delivery.values()
        ):
            raise ProcedureConfigError(f"{source}: delivery_days must map a way of sending to working days")
        out["delivery_days"] = {str(k): v for k, v in delivery.items()}
    same_lead = data.get("stage2_same_lead", "warn")
    if same_lead not in LEAD_INDEPENDENCE:
        raise ProcedureConfigError(f"{source}: stage2_same_lead must be warn or refuse")
    out["stage2_same_lead"] = same_lead
    contact = data.get("advocate_contact_within", 5)
    if not isinstance(contact, int) or isinstance(contact, bool) or contact < 0:
        raise ProcedureConfigError(f"{source}: advocate_contact_within must be working days")
    out["advocate_contact_within"] = contact
    try:
        out["service_areas"] = parse_service_areas(data.get("service_areas"), source)
    except CategoryConfigError as exc:
        raise ProcedureConfigError(str(exc)) from None
    return out


def load_procedures(path: str | Path) -> ProceduresConfig:
    """Read and validate a procedures file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ProcedureConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yamlfile.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProcedureConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_procedures(data, str(path))


@dataclass(frozen=True)
class StageTimescales:
    """The deadlines of one stage, from the dates known so far."""

    received: date
    clock_start: date
    acknowledge_by: date
    respond_by: date
    extended_respond_by: date | None
    panel_by: date | None = None
    panel_report_by: date | None = None
    paused_working_days: int = 0

    def to_dict(self) -> dict[str, str | int | None]:
        """JSON shape of the timescales CLI and API (ISO dates)."""
        return {
            "received": self.received.isoformat(),
            "clock_start": self.clock_start.isoformat(),
            "acknowledge_by": self.acknowledge_by.isoformat(),
            "respond_by": self.respond_by.isoformat(),
            "extended_respond_by": self.extended_respond_by.isoformat() if self.extended_respond_by else None,
            "panel_by": self.panel_by.isoformat() if self.panel_by else None,
            "panel_report_by": self.panel_report_by.isoformat() if self.panel_report_by else None,
            "paused_working_days": self.paused_working_days,
        }


def stage_timescales(
    stage: Stage,
    received: date,
    calendar: WorkingDayCalendar,
    *,
    acknowledged: date | None = None,
    panel_met: date | None = None,
    panel_reported: date | None = None,
    paused_working_days: int = 0,
) -> StageTimescales:
    """Work out a stage's deadlines from its receipt and the events recorded so far.

    Deadlines counted "from acknowledgement" use the actual acknowledgement when it was in time,
    otherwise the acknowledgement deadline. Working days the clock was paused push every
    response deadline back by the same number of working days.
    """
    start = calendar.clock_start(received)
    acknowledge_by = calendar.add_working_days(start, stage.acknowledge)
    panel_by = panel_report_by = None
    if stage.respond_from == "acknowledgement":
        # A late acknowledgement does not buy more time: count from the deadline it missed.
        base = min(acknowledged, acknowledge_by) if acknowledged else acknowledge_by
    elif stage.respond_from == "panel_report":
        panel_by = calendar.add_working_days(start, stage.panel or 0)
        panel_report_by = calendar.add_working_days(panel_met or panel_by, stage.panel_report or 0)
        base = panel_reported or panel_report_by
    else:
        base = start
    extra = paused_working_days
    respond_by = calendar.add_working_days(base, stage.respond + extra)
    extended = None
    if stage.extended_respond is not None:
        extended = calendar.add_working_days(base, stage.extended_respond + extra)
    return StageTimescales(
        received=received,
        clock_start=start,
        acknowledge_by=acknowledge_by,
        respond_by=respond_by,
        extended_respond_by=extended,
        panel_by=panel_by,
        panel_report_by=panel_report_by,
        paused_working_days=paused_working_days,
    )
