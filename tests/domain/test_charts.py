"""Bar charts drawn as SVG: well-formed, accessible, escaped, and true to their numbers."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from consult.domain import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_a_chart_names_itself_and_draws_one_labelled_bar_per_value() -> None:
    svg = parse(
        charts.bar_chart(
            [("Accepted", 12), ("Not accepted", 3), ("Noted", 0)],
            title="Comments by disposition",
            description="One bar per disposition.",
            ident="chart-d",
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-d-title"
    assert svg.get("aria-describedby") == "chart-d-desc"
    assert svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 400 ")
    assert svg.find(f"{SVG}title") is not None
    assert svg.find(f"{SVG}title").text == "Comments by disposition"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "One bar per disposition."  # type: ignore[union-attr]
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert labels == ["Accepted", "Not accepted", "Noted"]
    assert values == ["12", "3", "0"]
    widths = [float(r.get("width", "")) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] == charts.WIDTH - charts.VALUE_ROOM
    assert widths[1] == pytest.approx(widths[0] * 3 / 12)
    assert widths[2] == 0


def test_each_value_is_written_just_after_its_bar_and_rows_do_not_overlap() -> None:
    rows, height = charts.layout([("a", 5), ("b", 1), ("c", 0)])
    for row in rows:
        assert row.value_x == pytest.approx(row.bar_width + 6)
        assert row.label_y < row.bar_y < row.value_y <= row.bar_y + charts.BAR_HEIGHT
    for upper, lower in itertools.pairwise(rows):
        assert upper.bar_y + charts.BAR_HEIGHT < lower.label_y - charts.FONT_SIZE + 4
    assert height >= rows[-1].bar_y + charts.BAR_HEIGHT


def test_a_small_value_still_shows_a_sliver_and_an_empty_chart_is_valid() -> None:
    rows, _height = charts.layout([("many", 10_000), ("one", 1)])
    assert rows[1].bar_width == 2
    empty = parse(charts.bar_chart([], title="Nothing", description="No bars.", ident="e"))
    assert not list(empty.iter(f"{SVG}rect"))


def test_every_text_is_escaped() -> None:
    nasty = "<script>alert(\"x\")</script> & 'quotes'\x07"
    markup = charts.bar_chart([(nasty, 1)], title=nasty, description=nasty, ident="chart-x")
    assert "<script>" not in markup
    svg = parse(markup)
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-label")
    assert label.text == nasty.replace("\x07", "")
    assert svg.find(f"{SVG}title").text == nasty.replace("\x07", "")  # type: ignore[union-attr]


def test_a_long_label_is_cut_visibly_and_kept_whole_in_its_tooltip() -> None:
    long = "Guideline 12, paragraph 3, item (b), sub-item (iv), second sentence, last words"
    svg = parse(charts.bar_chart([(long, 4)], title="t", description="d", ident="c"))
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-label")
    assert label.text is not None and label.text.endswith("…")
    assert len(label.text) == charts.MAX_LABEL
    tooltip = svg.find(f"{SVG}g/{SVG}title")
    assert tooltip is not None and tooltip.text == f"{long}: 4"


@pytest.mark.parametrize("ident", ["", "1chart", "a b", 'x" onload="y'])
def test_an_unusable_id_is_refused(ident: str) -> None:
    with pytest.raises(ValueError, match="id"):
        charts.bar_chart([("a", 1)], title="t", description="d", ident=ident)


def test_a_negative_value_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        charts.layout([("a", -1)])
