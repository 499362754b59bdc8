"""Bar charts as geometry for an SVG drawn on the server (templates/staff/_chart.html).

Pure. The page shows each chart with a title and description for screen readers and the same
figures in a table beside it; no script, no style attributes, no outside assets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
BAR_AREA = 180
LEFT = 40
TOP = 20
BOTTOM = 60


@dataclass
class Bar:
    """One bar: where it is drawn and what it says."""

    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass
class Chart:
    """A grouped bar chart ready to draw."""

    key: str
    title: str
    description: str
    series: list[str]
    categories: list[tuple[str, float]] = field(default_factory=list)  # label, x of its middle
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # y, value
    width: int = WIDTH
    height: int = TOP + BAR_AREA + BOTTOM
    baseline: float = TOP + BAR_AREA


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(int(value))) - 1)
    return int(-(-value // step) * step)


def bar_chart(
    key: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
) -> Chart:
    """Bars for each category, one per series side by side, scaled to the largest value."""
    top = _nice_max(max([v or 0 for _, values in series for v in values] or [0]))
    chart = Chart(key, title, description, [name for name, _ in series])
    slot = (WIDTH - LEFT - 10) / max(len(categories), 1)
    bar_width = max(slot * 0.8 / max(len(series), 1), 1)
    for i, label in enumerate(categories):
        left = LEFT + i * slot + slot * 0.1
        chart.categories.append((label, round(left + slot * 0.4, 1)))
        for s, (_, values) in enumerate(series):
            value = values[i] or 0
            height = BAR_AREA * value / top
            chart.bars.append(
                Bar(
                    round(left + s * bar_width, 1),
                    round(TOP + BAR_AREA - height, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    s,
                    f"{label}, {series[s][0]}: {values[i] if values[i] is not None else 'none'}",
                )
            )
    chart.ticks = [(round(TOP + BAR_AREA - BAR_AREA * f / 4, 1), round(top * f / 4)) for f in range(5)]
    return chart


def report_charts(tables: dict[str, object]) -> dict[str, Chart]:
    """The report's charts, each drawn from one of its tables (shown beside it)."""
    months = tables["by_month"]
    stages = tables["stages"]
    themes = tables["themes"]
    out = {}
    out["by_month"] = bar_chart(
        "by_month",
        "Complaints received each month",
        "Stage 1 complaints received in each month of the period, beside the same month a year earlier.",
        [row[0] for row in months.rows],
        [
            ("This period", [row[1] for row in months.rows]),
            ("A year earlier", [row[3] for row in months.rows]),
        ],
    )
    out["stages"] = bar_chart(
        "stages",
        "Percentage answered in time",
        "For each procedure, stage and who complained: the percentage of responses in the period sent within the timescale.",
        [f"{row[0][:4]}. S{row[1]} {row[2]}" for row in stages.rows],
        [("% in time", [row[6] for row in stages.rows])],
    )
    out["themes"] = bar_chart(
        "themes",
        "Themes in the words of the feedback",
        "How many pieces of feedback in the period mention each theme.",
        [str(row[0]) for row in themes.rows[:8]],
        [("Feedback", [row[-1] for row in themes.rows[:8]])],
    )
    return out
