"""`feedbackbot report --from --to --format`: the report for any period; `report monthly` as before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from feedbackbot.core.periods import PeriodError, date_range, parse_date
from feedbackbot.services import clock
from feedbackbot.services.report_data import annual_report, period_report
from feedbackbot.services.report_exports import report_csv, report_json, report_xlsx, table_csv
from feedbackbot.services.reports import monthly_report, report_sections


@click.group(invoke_without_command=True)
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx"]), default="text", show_default=True
)
@click.option("--table", "table_key", default=None, help="Only this table (text or csv), e.g. stages.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file."
)
@click.pass_context
def report(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    fmt: str,
    table_key: str | None,
    output: Path | None,
) -> None:
    """Reports for senior managers: any period (--from/--to) beside the year before, or `monthly`."""
    if ctx.invoked_subcommand is not None:
        return
    if not start:
        raise click.UsageError("give --from YYYY-MM-DD (and --to), or use `report monthly`")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE")
    try:
        period = date_range(parse_date(start, "--from"), parse_date(end, "--to") if end else clock.today())
    except PeriodError as exc:
        raise click.UsageError(str(exc)) from None
    data = period_report(period)
    tables = data["tables"]
    if table_key is not None:
        tables = [t for t in tables if t.key == table_key]
        if not tables:
            known = ", ".join(t.key for t in data["tables"])
            raise click.UsageError(f"there is no table {table_key}; the tables are {known}")
    if fmt == "xlsx":
        assert output is not None
        output.write_bytes(report_xlsx(data))
        click.echo(f"Wrote {output} ({len(data['tables'])} tables)", err=True)
        return
    if fmt == "json":
        text = json.dumps({**report_json(data), "tables": [t.as_dict() for t in tables]})
    elif fmt == "csv":
        text = table_csv(tables[0]) if table_key else report_csv(data)
    else:
        lines = [f"Report: {data['period'].label} (beside {data['earlier'].label})"]
        for table in tables:
            lines += ["", table.title, "  " + " | ".join(table.columns)]
            lines += ["  " + " | ".join("-" if v is None else str(v) for v in row) for row in table.rows] or [
                "  none"
            ]
        text = "\n".join(lines)
    if output is not None:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    else:
        click.echo(text.rstrip("\n"))


@report.command("monthly")
@click.option("--month", default=None, help="YYYY-MM (default: last month).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def monthly(month: str | None, fmt: str) -> None:
    """Feedback by kind, themes, complaints answered in time, outcomes, mediation, learning."""
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            raise click.UsageError("--month must be YYYY-MM") from None
    else:
        today = clock.today()
        year, number = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    data = monthly_report(year, number)
    if fmt == "json":
        click.echo(json.dumps(data))
        return
    click.echo(f"Monthly report: {data['period']}")
    for heading, lines in report_sections(data):
        click.echo(f"\n{heading}")
        for line in lines or ["none"]:
            click.echo(f"  {line}")


@report.command("annual")
@click.option(
    "--year", required=True, type=click.IntRange(2000, 2100), help="YYYY: the financial year from April YYYY."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file."
)
def annual(year: int, fmt: str, output: Path | None) -> None:
    """The statutory annual report on complaints for a financial year (April to March)."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE")
    data = annual_report(year)
    if fmt == "xlsx":
        assert output is not None
        output.write_bytes(report_xlsx(data))
        click.echo(f"Wrote {output}", err=True)
        return
    if fmt == "json":
        text = json.dumps({**report_json(data), "summary": data["summary"]})
    else:
        lines = [f"Learning from complaints: annual report {data['period'].label}", ""]
        lines += data["summary"]
        for table in data["tables"]:
            lines += ["", table.title, "  " + " | ".join(table.columns)]
            lines += ["  " + " | ".join("-" if v is None else str(v) for v in row) for row in table.rows] or [
                "  none"
            ]
        text = "\n".join(lines)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
