"""The Heatmap component: a value per (row, column) pair, drawn with plotly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from expansion.dashboards.components import (
    CHARTS,
    ComponentError,
    Context,
    QueryResult,
    chart_figure,
    render_component,
)
from expansion.dashboards.parse import Component, parse_page
from expansion.dashboards.theme import Theme

CONTEXT = Context(href_for=lambda _: None, theme=Theme())

SCORES = QueryResult(
    columns=("account_name", "product_family", "whitespace_score"),
    rows=[
        ("Globex", "service", Decimal("62.50")),
        ("Globex", "addon", Decimal("35.00")),
        ("Acme", "addon", Decimal("52.50")),
        ("Acme", "module", Decimal("41.25")),
    ],
)


def heatmap(**attrs: str) -> Component:
    defaults = {"data": "scores", "x": "product_family", "y": "account_name"}
    return Component("Heatmap", {**defaults, **attrs})


def test_cells_follow_the_query_order_and_missing_pairs_are_empty():
    figure = chart_figure(
        heatmap(value="whitespace_score", min="0", max="100", valueFmt="num0"), SCORES, CONTEXT
    )
    (trace,) = figure["data"]
    assert trace["type"] == "heatmap"
    # columns and rows in order of first appearance; Globex owns no module, Acme no service
    assert trace["x"] == ["service", "addon", "module"]
    assert trace["y"] == ["Globex", "Acme"]
    assert trace["z"] == [[62.5, 35.0, None], [None, 52.5, 41.25]]
    assert (trace["zmin"], trace["zmax"]) == (0.0, 100.0)
    assert trace["texttemplate"] == "%{z:,.0f}"
    # the first row of the query is drawn at the top
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_fractions_are_labelled_as_percent():
    rates = QueryResult(
        columns=("segment", "score_band", "adoption_rate"),
        rows=[("All", "60-79", Decimal("0.0707"))],
    )
    figure = chart_figure(
        Component(
            "Heatmap",
            {
                "data": "v",
                "x": "score_band",
                "y": "segment",
                "value": "adoption_rate",
                "valueFmt": "pct0",
            },
        ),
        rates,
        CONTEXT,
    )
    assert figure["data"][0]["texttemplate"] == "%{z:.0%}"
    assert figure["data"][0]["zmin"] is None


def test_renders_as_a_chart_placeholder_that_loads_plotly():
    html = render_component(heatmap(value="whitespace_score"), SCORES, CONTEXT)
    assert '<figure class="chart"><div class="plot"></div>' in html
    assert '"type":"heatmap"' in html
    assert "Heatmap" in CHARTS


def test_parsed_from_a_page_tag():
    page = parse_page(
        "<Heatmap data={scores} x=product_family y=account_name value=whitespace_score"
        ' min=0 max=100 title="Whitespace"/>\n'
    )
    (component,) = page.blocks
    figure = chart_figure(component, SCORES, CONTEXT)
    assert figure["layout"]["title"]["text"] == "Whitespace"


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({}, "needs a value= attribute"),
        ({"value": "arr_usd"}, "column 'arr_usd' is not in the result"),
        ({"value": "whitespace_score", "max": "high"}, "max= must be a number"),
    ],
)
def test_bad_attributes_are_reported(attrs, message):
    with pytest.raises(ComponentError, match=message):
        chart_figure(heatmap(**attrs), SCORES, CONTEXT)
