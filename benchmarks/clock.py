"""The reminder sweep over 100,000 open complaints with 1% near a deadline.

The sweep reads only cases whose soonest deadline (an indexed column kept up to date by every
change) is within the warning horizon, so its time grows with the cases that are due, not with
all open cases. Measured in the same run: the sweep at 100,000 open / 1,000 due, at 10,000 open /
1,000 due (same due count: about the same time), and at 100,000 open / 2,000 due (about twice);
and the baseline, a naive sweep that derives every open case's deadlines, measured on the
10,000-case set and scaled per case.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from benchmarks.support import benchmark_app
from feedbackbot.app import settle_memory
from feedbackbot.core import timekeeping
from feedbackbot.extensions import db
from feedbackbot.models import Complaint, ComplaintEvent, Feedback, OutboxMessage
from feedbackbot.services import reminders
from feedbackbot.services.complaints import case_view

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # Tuesday morning
DUE_RECEIVED = date(2026, 11, 20)  # Friday: acknowledgement due Wednesday (a warning is due now)
FAR_RECEIVED = date(2026, 11, 24)  # today, acknowledged and extended: nothing due for weeks


def populate(total: int, due: int) -> None:
    """Bulk-load `total` open statutory complaints, `due` of them near a deadline."""
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(ComplaintEvent))
    db.session.execute(delete(Complaint))
    db.session.execute(delete(Feedback))
    db.session.commit()
    received_at = datetime(2026, 11, 20, 10, tzinfo=LONDON)
    batch = 5_000
    for start in range(0, total, batch):
        ids = range(start + 1, min(start + batch, total) + 1)
        db.session.execute(
            insert(Feedback),
            [
                {
                    "id": i,
                    "reference": f"VOS-2026-{i:06d}",
                    "kind": "complaint",
                    "channel": "letter",
                    "anonymous": False,
                    "text": "benchmark",
                    "received_at": received_at,
                    "status": "in_progress",
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(Complaint),
            [
                {
                    "id": i,
                    "feedback_id": i,
                    "procedure": "statutory",
                    "complainant_relationship": "parent",
                    "status": "open",
                    "next_deadline_on": date(2026, 11, 25) if i <= due else date(2026, 12, 22),
                }
                for i in ids
            ],
        )
        events = []
        for i in ids:
            if i <= due:
                events.append(
                    {
                        "complaint_id": i,
                        "stage": 1,
                        "kind": "received",
                        "occurred_on": DUE_RECEIVED,
                        "data": {},
                    }
                )
            else:
                events += [
                    {
                        "complaint_id": i,
                        "stage": 1,
                        "kind": "received",
                        "occurred_on": FAR_RECEIVED,
                        "data": {},
                    },
                    {
                        "complaint_id": i,
                        "stage": 1,
                        "kind": "acknowledged",
                        "occurred_on": FAR_RECEIVED,
                        "data": {},
                    },
                    {
                        "complaint_id": i,
                        "stage": 1,
                        "kind": "extended",
                        "occurred_on": FAR_RECEIVED,
                        "data": {"reason": "b"},
                    },
                ]
        db.session.execute(insert(ComplaintEvent), events)
        db.session.commit()


def timed_sweep() -> tuple[float, int]:
    db.session.execute(delete(OutboxMessage))
    db.session.commit()
    start = time.perf_counter()
    result = reminders.sweep()
    elapsed = time.perf_counter() - start
    return elapsed, result.queued


def naive_sweep_seconds() -> tuple[float, int]:
    """What a sweep without the index costs: derive every open case's deadlines."""
    start = time.perf_counter()
    today = NOW.date()
    cases = db.session.scalars(select(Complaint).where(Complaint.status == "open")).all()
    near = sum(1 for c in cases for d in case_view(c, today).open_deadlines() if (d.due - today).days <= 5)
    return time.perf_counter() - start, len(cases) if near >= 0 else 0


def run(quick: bool = False) -> None:
    """Print the figures (`quick`: a hundredth of the sizes, for the test that keeps this runnable)."""
    scale = 100 if quick else 1
    logging.getLogger("feedbackbot").setLevel(logging.WARNING)
    timekeeping.freeze(NOW)
    try:
        with benchmark_app(SLACK_COMPLAINTS_CHANNEL="C0BENCH") as app, app.app_context():
            if not quick:  # as the clock process does after start (not in the test run)
                settle_memory()
            figures = []
            for total, due in ((100_000, 1_000), (10_000, 1_000), (100_000, 2_000)):
                total, due = total // scale, due // scale
                populate(total, due)
                # The clock sweeps every few minutes in one long-lived process: the first sweep
                # after start pays for cold caches (database pages, compiled statements), later
                # ones don't. Both are shown; the figures compared below are the later one.
                cold, queued = timed_sweep()
                seconds, queued = timed_sweep()
                assert queued == due, (queued, due)
                figures.append((total, due, seconds))
                print(
                    f"sweep: {total:>7,} open, {due:>5,} due -> {seconds * 1000:8.1f} ms "
                    f"(first after start {cold * 1000:.1f} ms; {queued:,} reminders queued)"
                )
                if total == 10_000 // scale:
                    naive_seconds, scanned = naive_sweep_seconds()
                    per_case = naive_seconds / scanned
            (_, _, big), (_, _, small), (_, _, double) = figures
            naive_100k = per_case * 100_000 // scale
            print(
                f"baseline: naive sweep derives every open case: {per_case * 1e6:.0f} us per case "
                f"(measured on 10,000), so ~{naive_100k:.1f} s for 100,000"
            )
            print(f"ratio baseline/indexed at 100,000 open, 1% due: {naive_100k / big:.0f}x")
            print(
                f"10x the open cases, same due: {big / small:.2f}x the time; "
                f"2x the due cases: {double / big:.2f}x the time"
            )
    finally:
        timekeeping.freeze(None)
