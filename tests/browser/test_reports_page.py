"""A manager opens the report, switches the period, downloads CSV and XLSX; axe finds nothing serious."""

from __future__ import annotations

import csv
from datetime import date

from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

from benchmarks import report_dataset
from feedbackbot.services.users import create_staff_user
from tests.support import today_is

PASSWORD = "a-long-enough-password"


def serious(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}]


def test_a_manager_reads_switches_and_downloads_the_report(app, page, tmp_path):
    today_is(date(2026, 11, 23))
    report_dataset.load(report_dataset.generate(complaints=150, others=300, alerts=10))
    create_staff_user("manager@trust.example", "manager", PASSWORD, name="Jordan Reid")
    page.goto("/login")
    page.get_by_label("Email").fill("manager@trust.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.locator(".report-period")).to_contain_text("November 2026")
    assert serious(page) == []

    page.get_by_label("Period", exact=True).select_option("year")
    page.get_by_label("Month, or the year a financial year starts (YYYY-MM or YYYY)").fill("2025")
    page.get_by_role("button", name="Show the report").click()
    expect(page.locator(".report-period")).to_contain_text("2025/26")
    expect(page.get_by_role("img", name="Complaints received each month")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role(
            "link", name="Download complaints by stage and procedure, children and adults as CSV"
        ).click()
    path = tmp_path / "stages.csv"
    info.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0][:4] == ["Procedure", "Stage", "Who complained", "Received"] and len(rows) > 1

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the whole report as a spreadsheet (XLSX)").click()
    path = tmp_path / "report.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert "stages" in book.sheetnames and "key_figures" in book.sheetnames
    assert serious(page) == []


def test_the_annual_report_page_has_no_serious_accessibility_problems(app, page):
    today_is(date(2026, 11, 23))
    report_dataset.load(report_dataset.generate(complaints=150, others=300, alerts=10))
    create_staff_user("complaints@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    page.goto("/login")
    page.get_by_label("Email").fill("complaints@trust.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/reports")
    page.get_by_role("link", name="The statutory annual report on complaints").click()
    page.get_by_label("Financial year starting in April of (YYYY)").fill("2025")
    page.get_by_role("button", name="Show the annual report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025/26")
    page.emulate_media(media="print")
    expect(page.locator(".report-period-form")).to_be_hidden()
    page.emulate_media(media="screen")
    assert serious(page) == []
