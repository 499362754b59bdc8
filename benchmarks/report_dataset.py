"""Two years of invented complaints and feedback for the reports, with the figures they must give.

The generator builds each case step by step in working days it counts itself (with the
`holidays` package directly, not the service's calendar) and records, as it goes, what the
report should say about each stage: when it was received and answered, whether in time (by
construction: answered on working day n against a limit of L plus the days the clock stood
still), the working days taken and the days paused. `expected_*` recompute the report's figures
with plain Python over those records, so tests compare the code under test with an independent
count, never with itself. Everything is invented; no one real.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import insert

from feedbackbot.extensions import db
from feedbackbot.models import (
    AdvocacyReferral,
    Complaint,
    ComplaintEvent,
    Feedback,
    LearningAction,
    SafeguardingAlert,
)

LONDON = ZoneInfo("Europe/London")
FIRST_DAY = date(2024, 11, 1)
LAST_DAY = date(2026, 10, 31)  # receipts run two years; steps stop at DATA_END
DATA_END = date(2026, 11, 20)
BANK = holidays.UK(subdiv="ENG", years=range(2024, 2029))
STAFF = ["Kez Adams", "Priya Shah", "Tom Bell", "Aisha Khan", "Dan Evans", "Lucy Green"]
OWNERS = ["Jordan Reid", "Morgan Ellis", "Sam Okafor", "Chris Lane"]
TOPICS = ["worker", "home", "family_time", "school", "money", None]
AREAS = ["children_in_care", "leaving_care", "fostering", "residential", None]
TEXTS = {
    "worker": "my social worker never rings me back when she says she will",
    "home": "the heating in my flat has been broken and my room is cold",
    "family_time": "family time with my little brother keeps getting cancelled",
    "school": "i still do not have a school place and i am missing lessons",
    "money": "my clothing allowance has not been paid this month",
    None: "thank you",
}


def is_working(day: date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in BANK


def start_of(day: date) -> date:
    """Day 0: the day itself if working, else the next working day."""
    while not is_working(day):
        day += timedelta(days=1)
    return day


def plus(day: date, n: int) -> date:
    """Working day n counting `day` (a working day) as day 0."""
    while n > 0:
        day += timedelta(days=1)
        if is_working(day):
            n -= 1
    return day


@dataclass
class StageRecord:
    """What the report must say about one stage of one case."""

    procedure: str
    stage: int
    child: bool
    received: date
    responded: date | None = None
    in_time: bool | None = None
    within_limit: bool | None = None
    working_days: int | None = None
    paused_days: int = 0
    outcome: str | None = None
    findings: list[str] = field(default_factory=list)
    mediation: str | None = None  # none, resolved, not_resolved, withdrawn, in_progress (final state)
    mediation_ended: date | None = None


@dataclass
class Dataset:
    """The raw rows inserted and the records of what each should count as."""

    stages: list[StageRecord] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    advocacy: list[dict[str, Any]] = field(default_factory=list)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LONDON).astimezone(UTC)


def _random_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.data = Dataset()
        self.next_feedback = 1

    def feedback_row(self, kind: str, received: date, **extra: Any) -> int:
        fid = self.next_feedback
        self.next_feedback += 1
        topic = extra.pop("topic", self.rng.choice(TOPICS))
        row = {
            "id": fid,
            "reference": f"VOS-{received.year}-{fid:06d}",
            "kind": kind,
            "channel": extra.pop("channel", "web_chat"),
            "anonymous": True,
            "text": TEXTS[topic],
            "received_at": _noon(received),
            "status": "received",
            "topic": topic,
            "service_area": self.rng.choice(AREAS),
            "safeguarding": False,
            "about_staff": False,
            "thanked": None,
            "outcome": None,
            "outcome_at": None,
            **extra,
        }
        self.data.feedback.append(row)
        return fid

    def event(self, cid: int, stage: int, kind: str, on: date, **data: Any) -> None:
        if on <= DATA_END:
            self.data.events.append(
                {"complaint_id": cid, "stage": stage, "kind": kind, "occurred_on": on, "data": data}
            )

    def answer(
        self,
        record: StageRecord,
        responded: date,
        n: int,
        limit: int,
        extended: int | None,
        shift: int,
        outcome: str,
    ) -> bool:
        """Record a response on working day n, if it falls inside the data."""
        if responded > DATA_END:
            return False
        record.responded, record.working_days, record.outcome = responded, n, outcome
        record.within_limit = n <= limit + shift
        record.in_time = n <= (extended if extended is not None else limit) + shift
        return True

    def complaint(self, cid: int) -> None:
        rng = self.rng
        received = _random_day(rng)
        procedure = "statutory" if rng.random() < 0.8 else "corporate"
        relationship = rng.choices(["self", "parent", "carer", "other"], [5, 3, 1, 1])[0]
        child = relationship == "self"
        fid = self.feedback_row(
            "complaint", received, channel="web_chat" if child else "letter", status="in_progress"
        )
        self.data.complaints.append(
            {
                "id": cid,
                "feedback_id": fid,
                "procedure": procedure,
                "complainant_relationship": relationship,
                "status": "open",
            }
        )
        if child:
            self.data.advocacy.append(
                {
                    "feedback_id": fid,
                    "offered_on": received,
                    "offered_by": "the chat",
                    "answer": rng.choice(["accepted", "declined", "already_has", None]),
                }
            )
        c0 = start_of(received)
        one = StageRecord(procedure, 1, child, received)
        self.data.stages.append(one)
        self.event(cid, 1, "received", received)
        ack = rng.randint(1, 5) if procedure == "corporate" else rng.randint(1, 3)
        self.event(cid, 1, "acknowledged", plus(c0, ack))
        n = rng.randint(3, 24)
        extended = rng.random() < 0.2
        shift = 0
        if rng.random() < 0.15 and n > 4:  # a hold from working day 2 for p days
            p = rng.randint(1, n - 3)
            stops = rng.random() < 0.5
            self.event(
                cid, 1, "paused", plus(c0, 2), reason="police_enquiry" if stops else "staff_unavailable"
            )
            self.event(cid, 1, "resumed", plus(c0, 2 + p))
            one.paused_days = p
            shift = p if stops else 0
        if extended:
            self.event(cid, 1, "extended", plus(c0, 1), reason="complex")
        if procedure == "corporate":
            limit, longer = ack + 10, (ack + 20 if extended else None)
        else:
            limit, longer = 10, (20 if extended else None)
        outcome = rng.choice(["upheld", "partly_upheld", "not_upheld"])
        responded = plus(c0, n)
        if not self.answer(one, responded, n, limit, longer, shift, outcome):
            return
        self.event(cid, 1, "responded", responded, outcome=outcome, method="email")
        if procedure == "corporate" or rng.random() > 0.3:
            self.event(cid, 1, "closed", plus(responded, 25), reason="no stage 2 request")
            self.learning(responded)
            return
        self.stage_two(cid, child, plus(responded, rng.randint(1, 8)))

    def stage_two(self, cid: int, child: bool, requested: date) -> None:
        rng = self.rng
        if requested > DATA_END:
            return
        two = StageRecord("statutory", 2, child, requested, mediation="none")
        self.data.stages.append(two)
        self.event(cid, 2, "received", requested, by="complainant")
        self.event(cid, 2, "acknowledged", plus(requested, 2))
        shift = 0
        if rng.random() < 0.6:
            self.event(cid, 2, "mediation_started", requested)
            how = rng.choices(["resolved", "not_resolved", "withdrawn", "in_progress"], [5, 3, 1, 1])[0]
            m = rng.randint(3, 12)
            ended = plus(requested, m)
            two.mediation = "in_progress" if how == "in_progress" or ended > DATA_END else how
            if how == "in_progress" or ended > DATA_END:
                return
            two.mediation_ended = ended
            self.event(cid, 2, "mediation_outcome", ended, outcome=how)
            if how != "not_resolved":
                self.event(cid, 2, "closed", ended, reason="mediation")
                return
            shift = two.paused_days = m
        points = ["the visits", "the letter"]
        self.event(cid, 2, "statement_agreed", plus(requested, shift + 1), points=points)
        n = rng.randint(shift + 5, shift + 35)
        extended = rng.random() < 0.3
        if extended:
            self.event(cid, 2, "extended", plus(requested, shift + 2), reason="complex")
        findings = [rng.choice(["upheld", "partly_upheld", "not_upheld"]) for _ in points]
        kinds = set(findings)
        outcome = (
            "upheld" if kinds == {"upheld"} else "not_upheld" if kinds == {"not_upheld"} else "partly_upheld"
        )
        responded = plus(requested, n)
        if not self.answer(two, responded, n, 25, 65 if extended else None, shift, outcome):
            return
        two.findings = findings
        self.event(
            cid,
            2,
            "responded",
            responded,
            outcome=outcome,
            method="letter",
            findings=[{"point": p, "finding": f} for p, f in zip(points, findings, strict=True)],
        )
        self.learning(responded)
        if rng.random() < 0.3:
            self.stage_three(cid, child, plus(responded, 6))

    def stage_three(self, cid: int, child: bool, requested: date) -> None:
        rng = self.rng
        if requested > DATA_END:
            return
        three = StageRecord("statutory", 3, child, requested)
        self.data.stages.append(three)
        self.event(cid, 3, "received", requested, by="complainant")
        met = plus(requested, rng.randint(10, 30))
        reported = plus(met, rng.randint(1, 5))
        self.event(cid, 3, "panel_met", met)
        self.event(cid, 3, "panel_reported", reported)
        if reported > DATA_END:
            return
        n = rng.randint(5, 20)
        responded = plus(reported, n)
        if not self.answer(three, responded, 0, 15, None, 0, "not_upheld"):
            return
        three.in_time = three.within_limit = n <= 15
        # Working days from the Stage 3 request's clock start to the response.
        three.working_days = _between(requested, responded)
        self.event(cid, 3, "responded", responded, outcome="not_upheld", method="letter")

    def learning(self, responded: date) -> None:
        rng = self.rng
        if rng.random() > 0.4:
            return
        due = responded + timedelta(days=rng.randint(20, 60))
        done = due + timedelta(days=rng.randint(-15, 20)) if rng.random() < 0.7 else None
        self.data.actions.append(
            {
                "owner_name": rng.choice(OWNERS),
                "due_on": due,
                "added_on": responded,
                "done_on": done if done and done <= DATA_END else None,
            }
        )

    def other_feedback(self) -> None:
        rng = self.rng
        kind = rng.choices(["compliment", "idea", "concern", "question"], [4, 2, 3, 1])[0]
        received = _random_day(rng)
        extra: dict[str, Any] = {}
        if kind == "compliment" and rng.random() < 0.6:
            extra["thanked"] = rng.choice(STAFF)
        if kind in {"idea", "concern"} and rng.random() < 0.7:
            when = received + timedelta(days=rng.randint(1, 40))
            if when <= DATA_END:
                extra.update(
                    outcome="Talked it through and sorted it", outcome_at=_noon(when), status="resolved"
                )
        self.feedback_row(kind, received, **extra)

    def alert(self) -> None:
        rng = self.rng
        created = datetime.combine(
            _random_day(self.rng), time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=LONDON
        )
        minutes = rng.randint(1, 120)
        self.data.alerts.append(
            {
                "created_at": created.astimezone(UTC),
                "acknowledged_at": (created + timedelta(minutes=minutes)).astimezone(UTC)
                if rng.random() < 0.9
                else None,
            }
        )


def _between(start: date, end: date) -> int:
    """Working days after start(day 0 = its clock start) up to and including end."""
    day, count = start_of(start), 0
    while day < end:
        day += timedelta(days=1)
        count += is_working(day)
    return count


def generate(complaints: int = 1200, others: int = 3000, alerts: int = 100, seed: int = 13) -> Dataset:
    """The rows and the expected records, the same for the same seed."""
    builder = _Builder(seed)
    for cid in range(1, complaints + 1):
        builder.complaint(cid)
    for _ in range(others):
        builder.other_feedback()
    for _ in range(alerts):
        builder.alert()
    return builder.data


def load(data: Dataset) -> None:
    """Bulk-insert the generated rows (the report reads them like any other)."""
    db.session.execute(insert(Feedback), data.feedback)
    db.session.execute(insert(Complaint), data.complaints)
    db.session.execute(insert(ComplaintEvent), data.events)
    if data.actions:
        db.session.execute(
            insert(LearningAction),
            [
                {
                    "complaint_id": 1,
                    "action": "Change how we do it",
                    "owner_name": a["owner_name"],
                    "due_on": a["due_on"],
                    "done": a["done_on"] is not None,
                    "done_at": _noon(a["done_on"]) if a["done_on"] else None,
                    "created_at": _noon(a["added_on"]),
                }
                for a in data.actions
            ],
        )
    if data.alerts:
        db.session.execute(
            insert(SafeguardingAlert),
            [
                {"text": "", "categories": [], "source": "chat", "who": "young person", **a}
                for a in data.alerts
            ],
        )
    if data.advocacy:
        db.session.execute(insert(AdvocacyReferral), data.advocacy)
    db.session.commit()


# --- the expected figures, by plain counting over the records ---------------------------------------


def _inside(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def expected_stages(data: Dataset, start: date, end: date) -> dict[tuple[str, int, str], dict[str, Any]]:
    """Per (procedure, stage, who): received, answered, answered in time, % in time, average days."""
    out: dict[tuple[str, int, str], dict[str, Any]] = {}
    for r in data.stages:
        key = (r.procedure, r.stage, "children" if r.child else "adults")
        row = out.setdefault(
            key, {"received": 0, "answered": 0, "in_time": 0, "within": 0, "days": [], "paused": []}
        )
        row["received"] += _inside(r.received, start, end)
        if _inside(r.responded, start, end):
            row["answered"] += 1
            row["in_time"] += bool(r.in_time)
            row["within"] += bool(r.within_limit)
            row["days"].append(r.working_days)
            row["paused"].append(r.paused_days)
    for row in out.values():
        n = row["answered"]
        row["percent"] = round(100 * row["in_time"] / n) if n else None
        row["within_percent"] = round(100 * row["within"] / n) if n else None
        row["average_days"] = round(sum(row["days"]) / n, 1) if n else None
        row["average_paused"] = round(sum(row["paused"]) / n, 1) if n else None
    return {k: v for k, v in out.items() if v["received"] or v["answered"]}


def expected_mediation(data: Dataset, start: date, end: date) -> dict[str, int]:
    """Stage 2 requests in the period and how mediation stood at its end."""
    counts: Counter[str] = Counter()
    for r in data.stages:
        if r.stage == 2 and _inside(r.received, start, end):
            counts["requests"] += 1
            state = r.mediation or "none"
            if state not in {"none", "in_progress"} and r.mediation_ended and r.mediation_ended > end:
                state = "in_progress"
            counts[state] += 1
    return dict(counts)


def expected_other(data: Dataset, start: date, end: date) -> dict[str, Any]:
    """Compliments and staff named, concerns, learning actions, advocacy, alerts, by plain counting."""

    def local(moment: datetime) -> date:
        return moment.astimezone(LONDON).date()

    received = [f for f in data.feedback if _inside(local(f["received_at"]), start, end)]
    compliments = [f for f in received if f["kind"] == "compliment"]
    actions = data.actions
    alerts = [a for a in data.alerts if _inside(local(a["created_at"]), start, end)]
    minutes = [
        (a["acknowledged_at"] - a["created_at"]).total_seconds() / 60 for a in alerts if a["acknowledged_at"]
    ]
    offers = [o for o in data.advocacy if _inside(o["offered_on"], start, end)]
    return {
        "compliments": len(compliments),
        "named": Counter(f["thanked"] for f in compliments if f.get("thanked")),
        "concerns": sum(f["kind"] == "concern" for f in received),
        "concerns_resolved": sum(
            f["kind"] == "concern"
            and f.get("outcome_at") is not None
            and _inside(local(f["outcome_at"]), start, end)
            for f in data.feedback
        ),
        "ideas": sum(f["kind"] == "idea" for f in received),
        "learning_added": sum(_inside(a["added_on"], start, end) for a in actions),
        "learning_done": sum(_inside(a["done_on"], start, end) for a in actions),
        "learning_overdue": sum(
            a["added_on"] <= end and a["due_on"] < end and (a["done_on"] is None or a["done_on"] > end)
            for a in actions
        ),
        "alerts": len(alerts),
        "alerts_acknowledged": len(minutes),
        "advocacy_offered": len(offers),
        "advocacy_accepted": sum(o["answer"] == "accepted" for o in offers),
        "complaints_stage1": sum(r.stage == 1 and _inside(r.received, start, end) for r in data.stages),
    }
