"""The report as JSON in the staff API: the same tables as the page, the CSV and the XLSX."""

from __future__ import annotations

from flask import Response, abort, jsonify, request

from feedbackbot.core.periods import PeriodError, parse_period
from feedbackbot.services import clock
from feedbackbot.services.report_data import report_for
from feedbackbot.services.report_exports import report_json
from feedbackbot.web.api import bp
from feedbackbot.web.api.staff import _staff


@bp.get("/staff/reports")
def staff_report() -> Response:
    """Every table of the report for a period (?period=month|quarter|ytd|year|range&at=&from=&to=)."""
    try:
        period = parse_period(
            request.args.get("period"),
            clock.today(),
            at=request.args.get("at") or None,
            start=request.args.get("from") or None,
            end=request.args.get("to") or None,
        )
    except PeriodError as exc:
        abort(400, description=str(exc))
    return jsonify(report_json(report_for(_staff(), period)))
