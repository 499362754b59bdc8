"""The report as files: a CSV per table, the whole report as an XLSX workbook, and JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from feedbackbot.core.report_figures import Table


def _cell(value: Any) -> Any:
    return "" if value is None else value


def table_csv(table: Table) -> str:
    """One table as CSV: a header line, then a line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    return out.getvalue()


def report_csv(report: dict[str, Any]) -> str:
    """Every table in one CSV, a line per cell: table, row label, column, value (one header line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in report["tables"]:
        for row in table.rows:
            label = " / ".join(str(v) for v in row[: _label_columns(table)])
            for column, value in list(zip(table.columns, row, strict=False))[_label_columns(table) :]:
                writer.writerow([table.key, label, column, _cell(value)])
    return out.getvalue()


def _label_columns(table: Table) -> int:
    """How many leading columns name a row (the stage table has three, the others one)."""
    return 3 if table.key == "stages" else 1


def report_xlsx(report: dict[str, Any]) -> bytes:
    """The whole report as a workbook: a sheet per table, its title above the header row."""
    book = Workbook()
    book.remove(book.active)
    for table in report["tables"]:
        sheet = book.create_sheet(title=table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    about = book.create_sheet(title="about", index=0)
    about.append(["Voices of Sandwell feedback report"])
    about.append(["Period", report["period"].label])
    about.append(["From", report["period"].start.isoformat()])
    about.append(["To", report["period"].end.isoformat()])
    about.append(["Compared with", report["earlier"].label])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_json(report: dict[str, Any]) -> dict[str, Any]:
    """The report as plain JSON values."""
    period, earlier = report["period"], report["earlier"]
    return {
        "period": {"label": period.label, "from": period.start.isoformat(), "to": period.end.isoformat()},
        "compared_with": {
            "label": earlier.label,
            "from": earlier.start.isoformat(),
            "to": earlier.end.isoformat(),
        },
        "tables": [t.as_dict() for t in report["tables"]],
        "by_month": [{"month": m, "complaints": c, "other_feedback": o} for m, c, o in report["by_month"]],
    }
