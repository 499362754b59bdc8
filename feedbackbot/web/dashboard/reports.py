"""The reports page: any period beside the year before, charts, and every table as CSV or XLSX."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from feedbackbot.core.charts import report_charts
from feedbackbot.core.periods import Period, PeriodError, financial_year_start, parse_period
from feedbackbot.services import clock
from feedbackbot.services.report_data import REPORT_ROLES, annual_for, report_for
from feedbackbot.services.report_exports import report_xlsx, table_csv
from feedbackbot.web.dashboard import bp, staff_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period() -> Period:
    try:
        return parse_period(
            request.args.get("period"),
            clock.today(),
            at=request.args.get("at") or None,
            start=request.args.get("from") or None,
            end=request.args.get("to") or None,
        )
    except PeriodError as exc:
        abort(400, description=str(exc))


def _query(period: Period) -> dict[str, str]:
    return {"period": "range", "from": period.start.isoformat(), "to": period.end.isoformat()}


@bp.get("/reports")
@staff_page(REPORT_ROLES)
def reports() -> str:
    """Figures for a month, quarter, year to date, financial year or any range."""
    period = _period()
    report = report_for(current_user, period)
    tables = {t.key: t for t in report["tables"]}
    return render_template(
        "staff/reports.html",
        report=report,
        tables=tables,
        charts=report_charts(tables),
        query=_query(period),
        args=request.args,
    )


@bp.get("/reports/<key>.csv")
@staff_page(REPORT_ROLES)
def report_table_csv(key: str) -> Response:
    """One table of the report as CSV."""
    period = _period()
    table = next((t for t in report_for(current_user, period)["tables"] if t.key == key), None)
    if table is None:
        abort(404, description=f"the report has no table called {key}")
    name = f"{key}-{period.start}-{period.end}.csv"
    return Response(
        table_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/reports.xlsx")
@staff_page(REPORT_ROLES)
def report_workbook() -> Response:
    """The whole report as a workbook, a sheet per table."""
    period = _period()
    name = f"feedback-report-{period.start}-{period.end}.xlsx"
    return Response(
        report_xlsx(report_for(current_user, period)),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/reports/annual")
@staff_page(REPORT_ROLES)
def annual_report_page() -> str:
    """The statutory annual report for a financial year, printable to PDF from the browser."""
    today = clock.today()
    raw = request.args.get("year") or str(financial_year_start(today) - 1)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400, description="the year is written YYYY (the financial year starting that April)")
    report = annual_for(current_user, int(raw))
    tables = {t.key: t for t in report["tables"]}
    period = report["period"]
    return render_template(
        "staff/annual.html",
        report=report,
        tables=tables,
        charts=report_charts(tables),
        query=_query(period),
        year=int(raw),
    )
