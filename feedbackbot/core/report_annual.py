"""The statutory annual report on complaints (2006 Regulations), laid out like the Trust's annual
review, "Learning from complaints": what happened in the financial year, in sentences and tables.

Pure: built from the period report's tables and the cases' rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.procedures import ProceduresConfig
from feedbackbot.core.report_figures import OUTCOME_LABELS, derive_cases
from feedbackbot.core.report_rows import ReportRows, Table


def _figures(table: Table) -> dict[str, Any]:
    return {row[0]: row[1] for row in table.rows}


def children_themes_table(
    rows: ReportRows,
    report: dict[str, Any],
    calendar: WorkingDayCalendar,
    config: ProceduresConfig,
    theme_label: Callable[[str], str],
) -> Table:
    """Children's complaints answered at Stage 1 in the year: their themes and outcomes."""
    period = report["period"]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in derive_cases(rows.cases, period.end, calendar, config):
        first = item.view.stage(1)
        if not item.case.child or first is None or not period.contains(first.responded_on):
            continue
        for theme in item.case.themes or ("none found",):
            counts[theme][first.outcome or "other"] += 1
    keys = [*OUTCOME_LABELS, "other"]
    ordered = sorted(counts.items(), key=lambda i: (-sum(i[1].values()), i[0]))
    return Table(
        "children_themes",
        "Children's complaints answered at Stage 1: themes and outcomes",
        ["Theme", *[OUTCOME_LABELS.get(k, "Other") for k in keys], "Total"],
        [[theme_label(t), *[c[k] for k in keys], sum(c.values())] for t, c in ordered],
    )


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The report's opening paragraphs, in the annual review's words, from its figures."""
    period, earlier = report["period"], report["earlier"]
    tables = {t.key: t for t in report["tables"]}
    key = {row[0]: (row[1], row[2]) for row in tables["key_figures"].rows}
    now, before = key["% answered in time"]
    mediation = _figures(tables["mediation"])
    learning = _figures(tables["learning"])
    compliments = _figures(tables["compliments"])
    named = len(tables["compliments"].rows) - 1
    children = sum(r[3] for r in tables["stages"].rows if r[1] == 1 and r[2] == "children")
    adults = sum(r[3] for r in tables["stages"].rows if r[1] == 1 and r[2] == "adults")
    span = f"1 April {period.start.year} - 31 March {period.end.year}"
    lines = [
        f"The annual performance ({span}) of all complaints answered within timescales is "
        + (f"{now}%" if now is not None else "not yet measurable (none answered)")
        + (
            f", compared with {before}% the previous year."
            if before is not None
            else "; there is no figure for the previous year."
        ),
        f"We received {key['Complaints received (Stage 1)'][0]} complaints at Stage 1 "
        f"({children} from children and young people, {adults} from adults), against "
        f"{key['Complaints received (Stage 1)'][1]} the year before ({earlier.label}).",
        f"We received {mediation['Stage 2 requests']} requests to progress to a Stage 2 complaint; "
        f"{mediation['Resolved']} were resolved through mediation, {mediation['Progressed to Stage 2']} "
        f"progressed to a Stage 2 investigation after mediation, {mediation['Went to Stage 2 without mediation']} "
        f"went to Stage 2 without mediation, {mediation['Withdrawn']} were withdrawn and "
        f"{mediation['In progress']} are still in mediation.",
        f"We tracked {learning['Added']} new learning actions from complaint responses; {learning['Done']} "
        f"were completed in the year and {learning['Overdue at the end of the period']} were overdue on "
        f"31 March {period.end.year}.",
        f"We received {compliments['All compliments']} compliments, naming {named} members of staff, "
        "who were thanked and celebrated.",
    ]
    return lines
