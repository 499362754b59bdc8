"""Report tables beyond the complaints procedure: learning, compliments, ideas, concerns,
advocacy and safeguarding alerts. Pure, like core.report_figures which puts them in the report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from statistics import mean

from feedbackbot.core.periods import Period
from feedbackbot.core.report_rows import ActionRow, AdvocacyRow, AlertRow, FeedbackRow, Table


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


def learning_tables(actions: list[ActionRow], period: Period) -> list[Table]:
    def overdue(a: ActionRow) -> bool:
        return (
            a.added_on <= period.end
            and a.due_on < period.end
            and (a.done_on is None or a.done_on > period.end)
        )

    def open_at_end(a: ActionRow) -> bool:
        return a.added_on <= period.end and (a.done_on is None or a.done_on > period.end)

    summary = Table(
        "learning",
        "Learning actions",
        ["Measure", "Number"],
        [
            ["Added", sum(period.contains(a.added_on) for a in actions)],
            ["Done", sum(period.contains(a.done_on) for a in actions)],
            ["Open at the end of the period", sum(open_at_end(a) for a in actions)],
            ["Overdue at the end of the period", sum(overdue(a) for a in actions)],
        ],
    )
    owners = sorted({a.owner for a in actions if a.added_on <= period.end})
    rows = []
    for owner in owners:
        mine = [a for a in actions if a.owner == owner]
        row = [
            owner,
            sum(period.contains(a.added_on) for a in mine),
            sum(period.contains(a.done_on) for a in mine),
            sum(open_at_end(a) for a in mine),
            sum(overdue(a) for a in mine),
        ]
        if any(row[1:]):
            rows.append(row)
    by_owner = Table(
        "learning_owners", "Learning actions by owner", ["Owner", "Added", "Done", "Open", "Overdue"], rows
    )
    return [summary, by_owner]


def feedback_tables(feedback: list[FeedbackRow], period: Period) -> list[Table]:
    received = [f for f in feedback if period.contains(f.received_on)]
    compliments = [f for f in received if f.kind == "compliment" and not f.safeguarding]
    named = Counter(f.thanked.strip() for f in compliments if f.thanked and f.thanked.strip())
    ideas = [f for f in received if f.kind == "idea"]
    concerns = [f for f in received if f.kind == "concern"]
    resolved = [f for f in feedback if f.kind == "concern" and period.contains(f.outcome_on)]
    return [
        Table(
            "compliments",
            "Compliments and the staff named",
            ["Staff member named", "Compliments"],
            [
                ["All compliments", len(compliments)],
                *[[name, n] for name, n in sorted(named.items(), key=lambda i: (-i[1], i[0]))],
            ],
        ),
        Table(
            "ideas",
            "Ideas and what came of them",
            ["Reference", "Received", "What came of it"],
            [
                [f.reference, f.received_on.isoformat(), f.outcome or "not yet decided"]
                for f in sorted(ideas, key=lambda f: f.received_on)
            ],
        ),
        Table(
            "concerns",
            "Informal concerns",
            ["Measure", "Number"],
            [
                ["Received", len(concerns)],
                ["Resolved in the period", len(resolved)],
                [
                    "Received in the period and still open at its end",
                    sum(1 for f in concerns if not (f.outcome_on and f.outcome_on <= period.end)),
                ],
            ],
        ),
    ]


def advocacy_table(offers: list[AdvocacyRow], period: Period) -> Table:
    offered = [o for o in offers if period.contains(o.offered_on)]
    answers = Counter(o.answer or "no answer yet" for o in offered)
    accepted = answers["accepted"]
    return Table(
        "advocacy",
        "Advocacy offered to children who complained",
        ["Measure", "Number"],
        [
            ["Offered", len(offered)],
            ["Accepted", accepted],
            ["Declined", answers["declined"]],
            ["Already had an advocate", answers["already_has"]],
            ["No answer yet", answers["no answer yet"]],
            ["% taking up the offer", percent(accepted, len(offered))],
        ],
    )


def safeguarding_table(alerts: list[AlertRow], period: Period, day_of: Callable[[datetime], date]) -> Table:
    raised = [a for a in alerts if period.contains(day_of(a.created_at))]
    minutes = [
        (a.acknowledged_at - a.created_at).total_seconds() / 60
        for a in raised
        if a.acknowledged_at is not None
    ]
    return Table(
        "safeguarding",
        "Safeguarding alerts and time to acknowledge",
        ["Measure", "Number"],
        [
            ["Alerts raised", len(raised)],
            ["Acknowledged", len(minutes)],
            ["Average minutes to acknowledge", round(mean(minutes), 1) if minutes else None],
            ["Longest minutes to acknowledge", round(max(minutes), 1) if minutes else None],
        ],
    )
