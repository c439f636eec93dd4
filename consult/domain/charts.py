"""Horizontal bar charts drawn as SVG on the server, for pages that work without JavaScript.

A chart is a picture of numbers a page also gives as a table: the SVG is an
image (`role="img"`) named by its <title> and described by its <desc>, each
bar carries its label above it and its value written at its end (the meaning
never rests on colour or length alone), and the drawing scales to its box
(a viewBox, width 100%), so that it stays readable on a phone 390 px wide.
Colours come from the page's stylesheet through class names; the fill written
on each bar is only the fallback for a chart shown without it.

Every text is escaped here: a label may be a clause citation or an
organisation's kind, and it must never become markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: Width of the drawing in its own units; it is scaled to the width of its box.
WIDTH = 400
#: Height of a label's line, of a bar, and the space after each bar.
LABEL_LINE = 18
BAR_HEIGHT = 16
ROW_GAP = 12
#: Room kept right of the longest bar for its value.
VALUE_ROOM = 64
#: Labels longer than this are cut with an ellipsis (the table beside the chart has them whole).
MAX_LABEL = 52
FONT_SIZE = 14
#: The fallback colour of a bar: Consult's accent blue, 3:1 or more against white.
BAR_FILL = "#0b5394"
TEXT_FILL = "#1b1f24"

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 does not allow in text (and which no label needs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class BarRow:
    """Where one bar and its texts go, in the drawing's units."""

    label: str  # as drawn: cut to MAX_LABEL characters
    full_label: str
    value: int
    label_y: float  # the label's baseline
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float  # the value's baseline


def _text(value: str) -> str:
    """Return `value` made safe for XML text or an attribute."""
    return escape(_NOT_XML.sub("", value), quote=True)


def _cut(label: str) -> str:
    label = " ".join(label.split())
    if len(label) <= MAX_LABEL:
        return label
    return label[: MAX_LABEL - 1].rstrip() + "…"


def layout(bars: Sequence[tuple[str, int]]) -> tuple[list[BarRow], float]:
    """Place each (label, value) bar, top to bottom; return the rows and the drawing's height.

    Bars are scaled to the largest value, so that it fills the width left
    after the room for the numbers; a value above zero gets at least a sliver.
    """
    largest = max((value for _label, value in bars), default=0)
    room = WIDTH - VALUE_ROOM
    rows = []
    y = 0.0
    for label, value in bars:
        if value < 0:
            raise ValueError(f"a bar cannot be negative: {label!r} = {value}")
        width = room * value / largest if largest else 0.0
        if value and width < 2:
            width = 2.0
        label_y = y + LABEL_LINE - 4
        bar_y = y + LABEL_LINE
        rows.append(
            BarRow(
                label=_cut(label),
                full_label=" ".join(label.split()),
                value=value,
                label_y=label_y,
                bar_y=bar_y,
                bar_width=round(width, 2),
                value_x=round(width + 6, 2),
                value_y=bar_y + BAR_HEIGHT - 3,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return rows, y


def bar_chart(bars: Sequence[tuple[str, int]], *, title: str, description: str, ident: str) -> str:
    """Return an accessible SVG horizontal bar chart of the (label, value) `bars`, in order.

    `ident` (letters, digits, '-' and '_', starting with a letter) prefixes
    the ids of the chart's <title> and <desc>, so it must be unique on the page.
    """
    if not _IDENT.match(ident):
        raise ValueError(f"not a usable id: {ident!r}")
    rows, height = layout(bars)
    height = max(height, float(LABEL_LINE))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="{ident}"'
        f' viewBox="0 0 {WIDTH} {height:g}" width="100%" preserveAspectRatio="xMinYMin meet"'
        f' role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc"'
        f' font-size="{FONT_SIZE}" font-family="system-ui, sans-serif">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(description)}</desc>',
    ]
    for row in rows:
        parts.append(
            '<g class="bar-row">'
            f"<title>{_text(row.full_label)}: {row.value}</title>"
            f'<text class="bar-label" x="0" y="{row.label_y:g}" fill="{TEXT_FILL}">'
            f"{_text(row.label)}</text>"
            f'<rect class="bar" x="0" y="{row.bar_y:g}" width="{row.bar_width:g}"'
            f' height="{BAR_HEIGHT}" fill="{BAR_FILL}"/>'
            f'<text class="bar-value" x="{row.value_x:g}" y="{row.value_y:g}"'
            f' fill="{TEXT_FILL}">{row.value}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)
