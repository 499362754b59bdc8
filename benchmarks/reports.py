"""The report page over two years of data (about 1,200 complaints and 3,000 other feedback).

Measured in the same run: GET /staff/reports for a financial year and for the whole two years
(each beside the year before), the XLSX download, and the baseline, the page's cheapest
neighbour: the staff queue page for the same signed-in manager. Target: the report page under 1 s.
"""

from __future__ import annotations

import logging

from benchmarks import report_dataset
from benchmarks.support import benchmark_app
from benchmarks.util import best_of
from feedbackbot.services.users import create_staff_user

PASSWORD = "a-long-enough-password"


def run(quick: bool = False, argv: list[str] | None = None) -> None:
    """Print the timings and the ratio of the report page to the baseline page."""
    logging.getLogger("feedbackbot").setLevel(logging.WARNING)
    size = (120, 300) if quick else (1200, 3000)
    with benchmark_app(WTF_CSRF_ENABLED=False) as app, app.app_context():
        data = report_dataset.generate(complaints=size[0], others=size[1])
        report_dataset.load(data)
        create_staff_user("manager@bench.example", "manager", PASSWORD, name="Bench Manager")
        client = app.test_client()
        client.post("/login", data={"email": "manager@bench.example", "password": PASSWORD})
        repeat = 2 if quick else 5

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        year = best_of(lambda: get("/staff/reports?period=year&at=2025"), repeat)
        whole = best_of(lambda: get("/staff/reports?period=range&from=2024-11-01&to=2026-10-31"), repeat)
        xlsx = best_of(lambda: get("/staff/reports.xlsx?period=year&at=2025"), repeat)
        baseline = best_of(lambda: get("/staff/"), repeat)
        print(
            f"data: {len(data.complaints)} complaints, {len(data.feedback) - len(data.complaints)} other feedback, {len(data.events)} case events"
        )
        print(f"report page, financial year 2025/26: {year * 1000:.0f} ms")
        print(f"report page, two years:              {whole * 1000:.0f} ms")
        print(f"XLSX download, financial year:       {xlsx * 1000:.0f} ms")
        print(f"baseline (the queue page):           {baseline * 1000:.0f} ms")
        print(f"ratio report page (year) / baseline: {year / baseline:.1f}")
        print(f"target: under 1000 ms -> {'met' if max(year, whole) < 1 else 'NOT met'}")
