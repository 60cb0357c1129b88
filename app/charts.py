"""Chart geometry for server-rendered SVG: bars and a timeline (pure, no drawing library)."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float
    colour: str
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: int
    bars: list[Bar]


def bar_chart(items: list[tuple[str, int, str]], *, width: int = 640) -> BarChart:
    """Horizontal bars, longest first, scaled to the largest value."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    total = sum(v for _, v, _ in ordered) or 1
    biggest = max((v for _, v, _ in ordered), default=0) or 1
    room = width - LABEL_WIDTH - 70
    bars = [
        Bar(
            label,
            value,
            value / total,
            colour,
            GAP + i * (BAR_HEIGHT + GAP),
            round(room * value / biggest, 1),
        )
        for i, (label, value, colour) in enumerate(ordered)
    ]
    return BarChart(width, GAP + len(bars) * (BAR_HEIGHT + GAP), LABEL_WIDTH, bars)


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str  # SVG polyline points
    dots: list[tuple[float, float, int, str]]  # x, y, value, period


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lines: list[Line]
    ticks: list[tuple[float, str]]  # x, period label
    levels: list[tuple[float, int]]  # y, value
    left: int
    bottom: float


def timeline(
    series: list[tuple[str, str, dict[str, int]]],
    periods: list[str],
    *,
    width: int = 640,
    height: int = 260,
) -> Timeline:
    """One line per source over the periods (months), sharing one scale."""
    left, right, top, bottom = 40, 16, 12, height - 36
    peak = max((v for _, _, counts in series for v in counts.values()), default=0) or 1
    step = (width - left - right) / max(1, len(periods) - 1)

    def x(i: int) -> float:
        return round(left + (i * step if len(periods) > 1 else (width - left - right) / 2), 1)

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / peak, 1)

    lines = []
    for label, colour, counts in series:
        dots = [(x(i), y(counts.get(p, 0)), counts.get(p, 0), p) for i, p in enumerate(periods)]
        lines.append(Line(label, colour, " ".join(f"{a},{b}" for a, b, _, _ in dots), dots))
    every = max(1, len(periods) // 8)
    ticks = [(x(i), p) for i, p in enumerate(periods) if i % every == 0]
    levels = [(y(v), v) for v in sorted({0, peak // 2, peak})]
    return Timeline(width, height, lines, ticks, levels, left, bottom)
