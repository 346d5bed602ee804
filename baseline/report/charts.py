"""Chart geometry for the HTML report's inline SVG: computed here, drawn by the template.

Coordinates are formatted as fixed-precision strings so the output is byte-identical across
platforms; the template only places rectangles and text.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 64
BAR_WIDTH = 480
COUNT_WIDTH = 48
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 8


@dataclass(frozen=True)
class Segment:
    """One status's share of a bar."""

    status: str
    count: int
    x: str
    width: str


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal stacked bar chart."""

    label: str
    title: str
    total: int
    y: str
    text_y: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    """A stacked bar chart: one bar per row, one segment per non-zero status."""

    title: str
    width: int
    height: int
    label_width: int
    count_x: int
    bars: tuple[Bar, ...]


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _bar(
    index: int, label: str, title: str, counts: tuple[tuple[str, int], ...], label_width: int
) -> Bar:
    total = sum(n for _, n in counts)
    y = TOP + index * ROW_HEIGHT
    segments = []
    offset = 0
    for status, count in counts:
        if count == 0:
            continue
        x = label_width + BAR_WIDTH * offset / total
        segments.append(Segment(status, count, _fmt(x), _fmt(BAR_WIDTH * count / total)))
        offset += count
    return Bar(label, title, total, str(y), _fmt(y + BAR_HEIGHT * 0.8), tuple(segments))


def bar_chart(
    title: str,
    rows: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...],
    label_width: int = LABEL_WIDTH,
) -> Chart:
    """A chart from (label, title, status counts) rows, counts in display order; `label_width`
    pixels left of the bars for the labels."""
    bars = tuple(
        _bar(i, label, text, counts, label_width) for i, (label, text, counts) in enumerate(rows)
    )
    return Chart(
        title=title,
        width=label_width + BAR_WIDTH + COUNT_WIDTH,
        height=TOP * 2 + ROW_HEIGHT * len(bars),
        label_width=label_width,
        count_x=label_width + BAR_WIDTH + 8,
        bars=bars,
    )
