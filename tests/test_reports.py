"""Reports: figures from two generated years checked against an independent count, the page,
the downloads, the staff API and the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from benchmarks import report_dataset as dataset
from feedbackbot.core.periods import date_range, financial_year, month, quarter
from feedbackbot.services.report_data import period_report
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.openapi_check import assert_matches_openapi
from tests.support import today_is

PASSWORD = "a-long-enough-password"
DATA = dataset.generate()  # about 1,200 complaints and 3,000 other pieces of feedback over two years


@pytest.fixture
def two_years(app):
    today_is(date(2026, 11, 23))
    dataset.load(DATA)
    return DATA


@pytest.fixture
def people(app):
    return {
        role: create_staff_user(f"{role}@trust.example", role, PASSWORD, name=f"{role.title()} Person")
        for role in ("manager", "complaints", "participation", "worker", "admin")
    }


def sign_in(client, role: str) -> None:
    response = client.post("/login", data={"email": f"{role}@trust.example", "password": PASSWORD})
    assert response.status_code == 302


def _table(report, key):
    return next(t for t in report["tables"] if t.key == key)


def test_the_dataset_is_two_years_of_about_the_size_asked_for():
    assert len(DATA.complaints) == 1200
    assert len(DATA.feedback) - len(DATA.complaints) == 3000
    days = sorted(r.received for r in DATA.stages)
    assert (days[-1] - days[0]).days > 700


@pytest.mark.parametrize(
    "period",
    [
        financial_year(2025),
        month(2026, 3),
        quarter(date(2025, 8, 1)),
        date_range(date(2024, 11, 1), date(2026, 10, 31)),
    ],
    ids=["financial year", "month", "quarter", "two years"],
)
def test_stage_figures_match_an_independent_count(two_years, period):
    report = period_report(period)
    got = {(r[0], r[1], r[2]): r[3:] for r in _table(report, "stages").rows}
    expected = dataset.expected_stages(two_years, period.start, period.end)
    assert set(got) == set(expected)
    for key, e in expected.items():
        want = [
            e["received"],
            e["answered"],
            e["in_time"],
            e["percent"],
            e["within_percent"],
            e["average_days"],
            e["average_paused"],
        ]
        assert got[key] == want, key
    # the year-earlier column is the same count over the dates a year before
    earlier = period.year_earlier()
    before = dataset.expected_stages(two_years, earlier.start, earlier.end)
    key_figures = {r[0]: r[2] for r in _table(report, "key_figures").rows}
    assert key_figures["Complaints received (Stage 1)"] == sum(
        v["received"] for k, v in before.items() if k[1] == 1
    )
    assert key_figures["Responses"] == sum(v["answered"] for v in before.values())


@pytest.mark.parametrize("period", [financial_year(2025), month(2025, 6)], ids=["year", "month"])
def test_mediation_learning_compliments_and_the_rest_match_an_independent_count(two_years, period):
    report = period_report(period)
    mediation = dict(_table(report, "mediation").rows)
    expected = dataset.expected_mediation(two_years, period.start, period.end)
    assert mediation["Stage 2 requests"] == expected.get("requests", 0)
    assert mediation["Resolved"] == expected.get("resolved", 0)
    assert mediation["Progressed to Stage 2"] == expected.get("not_resolved", 0)
    assert mediation["Withdrawn"] == expected.get("withdrawn", 0)
    assert mediation["In progress"] == expected.get("in_progress", 0)
    assert mediation["Went to Stage 2 without mediation"] == expected.get("none", 0)

    other = dataset.expected_other(two_years, period.start, period.end)
    learning = dict(_table(report, "learning").rows)
    assert (learning["Added"], learning["Done"], learning["Overdue at the end of the period"]) == (
        other["learning_added"],
        other["learning_done"],
        other["learning_overdue"],
    )
    compliments = dict(_table(report, "compliments").rows)
    assert compliments.pop("All compliments") == other["compliments"]
    assert compliments == dict(other["named"])
    concerns = dict(_table(report, "concerns").rows)
    assert (concerns["Received"], concerns["Resolved in the period"]) == (
        other["concerns"],
        other["concerns_resolved"],
    )
    assert len(_table(report, "ideas").rows) == other["ideas"]
    advocacy = dict(_table(report, "advocacy").rows)
    assert (advocacy["Offered"], advocacy["Accepted"]) == (
        other["advocacy_offered"],
        other["advocacy_accepted"],
    )
    alerts = dict(_table(report, "safeguarding").rows)
    assert (alerts["Alerts raised"], alerts["Acknowledged"]) == (
        other["alerts"],
        other["alerts_acknowledged"],
    )
    months = _table(report, "by_month").rows
    assert sum(row[1] for row in months) == other["complaints_stage1"]


def test_a_manager_sees_the_report_page_with_charts_and_tables(client, people, two_years):
    sign_in(client, "manager")
    page = client.get("/staff/reports?period=year&at=2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2025/26" in html and "a year earlier" in html
    assert html.count('<svg class="chart"') == 3 and 'role="img"' in html
    assert "style=" not in html  # the coming Content-Security-Policy forbids inline styles
    expected = dataset.expected_stages(two_years, date(2025, 4, 1), date(2026, 3, 31))
    assert f"<td>{expected[('statutory', 1, 'children')]['received']}</td>" in html


@pytest.mark.parametrize(
    ("role", "status"), [("participation", 403), ("worker", 403), ("complaints", 200), ("admin", 200)]
)
def test_only_managers_complaints_and_admin_see_reports(client, people, role, status):
    sign_in(client, role)
    assert client.get("/staff/reports").status_code == status
    assert client.get("/staff/reports/annual?year=2025").status_code == status
    assert client.get("/staff/reports.xlsx").status_code == status


def test_a_period_that_cannot_be_read_is_a_400_with_a_message(client, people):
    sign_in(client, "manager")
    for query in (
        "period=weekly",
        "period=range&from=2026-05-01&to=2026-04-01",
        "period=month&at=May",
        "period=range&from=x&to=y",
    ):
        response = client.get(f"/staff/reports?{query}")
        assert response.status_code == 400, query
        assert b"Traceback" not in response.data


def test_every_table_downloads_as_csv_and_the_whole_report_as_xlsx(client, people, two_years):
    sign_in(client, "complaints")
    query = "period=range&from=2026-04-01&to=2026-10-31"
    report = period_report(date_range(date(2026, 4, 1), date(2026, 10, 31)))
    for table in report["tables"]:
        response = client.get(f"/staff/reports/{table.key}.csv?{query}")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1
    assert client.get(f"/staff/reports/nothing.csv?{query}").status_code == 404
    response = client.get(f"/staff/reports.xlsx?{query}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert {t.key for t in report["tables"]} <= set(book.sheetnames)
    sheet = book["stages"]
    assert [c.value for c in sheet[2]] == _table(report, "stages").columns


def test_the_report_as_json_in_the_staff_api(client, people, two_years):
    manager = {"Authorization": f"Bearer {issue_api_token(people['manager'], 'tests')}"}
    response = client.get("/api/staff/reports?period=month&at=2026-03", headers=manager)
    assert response.status_code == 200
    assert_matches_openapi(response, "/api/staff/reports", "get")
    body = response.get_json()
    assert body["period"]["from"] == "2026-03-01"
    stages = next(t for t in body["tables"] if t["key"] == "stages")
    expected = dataset.expected_stages(two_years, date(2026, 3, 1), date(2026, 3, 31))
    assert {(r[0], r[1], r[2]): r[3] for r in stages["rows"]} == {
        k: v["received"] for k, v in expected.items()
    }
    worker = {"Authorization": f"Bearer {issue_api_token(people['worker'], 'tests')}"}
    assert client.get("/api/staff/reports", headers=worker).status_code == 403
    assert client.get("/api/staff/reports?period=range&from=2026-01-01", headers=manager).status_code == 400


def test_the_cli_writes_xlsx_and_prints_csv(runner, two_years, tmp_path):
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=[
            "report",
            "--from",
            "2026-04-01",
            "--to",
            "2026-11-30",
            "--format",
            "xlsx",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    report = period_report(date_range(date(2026, 4, 1), date(2026, 11, 30)))
    assert {t.key for t in report["tables"]} <= set(book.sheetnames)

    result = runner.invoke(args=["report", "--from", "2026-04-01", "--to", "2026-11-30", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "table,row,column,value"
    assert all(len(row) == 4 for row in csv.reader(lines))

    result = runner.invoke(
        args=["report", "--from", "2026-04-01", "--to", "2026-11-30", "--format", "csv", "--table", "stages"]
    )
    assert result.output.splitlines()[0].startswith("Procedure,Stage,Who complained,Received")

    result = runner.invoke(args=["report", "--from", "2026-04-01", "--to", "2026-11-30"])
    assert result.exit_code == 0 and "Complaints by stage and procedure" in result.output


def test_the_cli_refuses_bad_dates_with_exit_code_2(runner, app):
    for args in (
        ["--from", "2026-13-01"],
        ["--from", "2026-05-01", "--to", "2026-04-01"],
        ["--format", "xlsx", "--from", "2026-01-01"],
        [],
    ):
        result = runner.invoke(args=["report", *args])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_report_monthly_still_works(runner, app):
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03"])
    assert result.exit_code == 0
    assert "Monthly report: March 2026" in result.output


def test_the_monthly_slack_post_links_to_the_report_page(app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from feedbackbot.core import timekeeping
    from feedbackbot.services.reminders import monthly_report

    timekeeping.freeze(datetime(2026, 12, 1, 9, 2, tzinfo=ZoneInfo("Europe/London")))
    try:
        row = monthly_report()
    finally:
        timekeeping.freeze(None)
    assert row is not None
    assert "/staff/reports?period=month&at=2026-11" in str(row.payload["blocks"])


def _percent_in_time(data, start, end):
    rows = dataset.expected_stages(data, start, end).values()
    answered = sum(r["answered"] for r in rows)
    return round(100 * sum(r["in_time"] for r in rows) / answered)


def test_the_annual_report_says_what_the_annual_review_says_with_independent_figures(runner, two_years):
    now = _percent_in_time(two_years, date(2025, 4, 1), date(2026, 3, 31))
    before = _percent_in_time(two_years, date(2024, 4, 1), date(2025, 3, 31))
    mediation = dataset.expected_mediation(two_years, date(2025, 4, 1), date(2026, 3, 31))
    result = runner.invoke(args=["report", "annual", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert (
        f"(1 April 2025 - 31 March 2026) of all complaints answered within timescales is {now}%, "
        f"compared with {before}% the previous year." in result.output
    )
    assert (
        f"We received {mediation['requests']} requests to progress to a Stage 2 complaint; {mediation['resolved']} were resolved through mediation"
        in result.output
    )
    assert "Children's complaints answered at Stage 1: themes and outcomes" in result.output
    assert runner.invoke(args=["report", "annual", "--year", "25"]).exit_code == 2


def test_the_annual_report_page_is_printable(client, people, two_years):
    sign_in(client, "manager")
    page = client.get("/staff/reports/annual?year=2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "learning from complaints, 2025/26" in html and "style=" not in html
    assert client.get("/staff/reports/annual?year=twenty").status_code == 400
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css
