"""The informal concerns log: filter by date, theme and status; export as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from feedbackbot.services import complaints
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user
from tests.support import today_is

PASSWORD = "a-long-enough-password"


def test_the_concerns_log_filters_and_exports(client, app):
    person = create_staff_user("participation@trust.example", "participation", PASSWORD, name="Sam Okafor")
    today_is(date(2026, 10, 5))
    bus = record_feedback(
        kind="concern", text="still no bus pass for college after three weeks", channel="web_chat"
    )
    today_is(date(2026, 11, 5))
    mum = record_feedback(
        kind="concern", text="family time with my mum got cancelled again", channel="web_chat"
    )
    complaints.resolve_concern(person, mum, "Rearranged for Saturday")
    assert (
        client.post("/login", data={"email": "participation@trust.example", "password": PASSWORD}).status_code
        == 302
    )

    page = client.get("/staff/concerns?theme=family").get_data(as_text=True)
    assert mum.reference in page and bus.reference not in page
    page = client.get("/staff/concerns?status=open").get_data(as_text=True)
    assert bus.reference in page and mum.reference not in page
    page = client.get("/staff/concerns?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert mum.reference in page and bus.reference not in page

    rows = list(
        csv.reader(io.StringIO(client.get("/staff/concerns.csv?status=resolved").get_data(as_text=True)))
    )
    assert rows[0] == ["Reference", "Received", "About", "Themes", "Status", "Resolution", "Resolved on"]
    assert [(r[0], r[5]) for r in rows[1:]] == [(mum.reference, "Rearranged for Saturday")]
    assert "Family" in rows[1][3]

    for query in ("from=yesterday", "status=maybe", "theme=weather", "from=2026-11-30&to=2026-11-01"):
        response = client.get(f"/staff/concerns?{query}")
        assert response.status_code == 400, query
        assert client.get(f"/staff/concerns.csv?{query}").status_code == 400, query
