"""HTML for the Evidence components the offline renderer supports.

Each renderer takes the parsed component and the result of the query named by
its ``data`` attribute, and returns escaped HTML. A component that cannot be
drawn (missing attribute, unknown column) raises :class:`ComponentError`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from expansion.dashboards.formats import (
    column_format,
    column_title,
    format_value,
    plotly_axis_format,
)
from expansion.dashboards.parse import Component

CHARTS = frozenset({"BarChart", "LineChart", "AreaChart", "Heatmap"})
SUPPORTED = CHARTS | {"BigValue", "DataTable"}
DEFAULT_TABLE_ROWS = 10
"""Evidence's DataTable default page size; the static table shows the first page."""

COLORWAY = ("#236aa4", "#45a1bf", "#a5cdee", "#8dacbf", "#85c7c6", "#d2c6ac", "#f4b548", "#8f3d56")
"""Evidence's default palette, so both renderers colour series alike."""

HrefFor = Callable[[str], str | None]
"""Maps a site path such as ``/accounts/A-1`` to a relative link, or None if no such page."""


class ComponentError(ValueError):
    """The component cannot be drawn from its attributes and data."""


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]

    def index(self, column: str) -> int:
        if column not in self.columns:
            raise ComponentError(
                f"column {column!r} is not in the result ({', '.join(self.columns)})"
            )
        return self.columns.index(column)

    def to_frame(self) -> pd.DataFrame:
        """The rows as a DataFrame, decimals as floats (for charting)."""
        records = [
            tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in self.rows
        ]
        return pd.DataFrame.from_records(records, columns=list(self.columns))


def render_component(component: Component, result: QueryResult, href_for: HrefFor) -> Markup:
    """HTML for a component whose name is in :data:`SUPPORTED`."""
    if component.name == "BigValue":
        return big_value(component, result)
    if not result.rows:
        return Markup('<p class="empty">No rows in <code>{}</code>.</p>').format(
            component.attrs.get("data")
        )
    if component.name == "DataTable":
        return data_table(component, result, href_for)
    return chart(component, result)


def required(component: Component, attr: str) -> str:
    if not component.attrs.get(attr):
        raise ComponentError(f"<{component.name}> needs a {attr}= attribute")
    return component.attrs[attr]


def big_value(component: Component, result: QueryResult) -> Markup:
    column = required(component, "value")
    position = result.index(column)
    value = result.rows[0][position] if result.rows else None
    return Markup(
        '<div class="big-value"><p class="big-value-title">{}</p>'
        '<p class="big-value-number">{}</p></div>'
    ).format(component.attrs.get("title") or column_title(column), format_value(column, value))


def data_table(component: Component, result: QueryResult, href_for: HrefFor) -> Markup:
    link = component.attrs.get("link")
    link_position = result.index(link) if link else None
    columns = [(required(c, "id"), c.attrs.get("title")) for c in component.children]
    if not columns:
        columns = [(c, None) for c in result.columns if c != link]
    positions = [result.index(column) for column, _ in columns]
    limit = _row_limit(component)
    rows = result.rows[:limit]
    numeric = [_is_numeric(row[p] for row in rows) for p in positions]

    head = Markup("").join(
        Markup("<th{}>{}</th>").format(_num_class(is_num), title or column_title(column))
        for (column, title), is_num in zip(columns, numeric, strict=True)
    )
    body = []
    for row in rows:
        href = href_for(str(row[link_position])) if link_position is not None else None
        cells = []
        for i, ((column, _), position) in enumerate(zip(columns, positions, strict=True)):
            text = format_value(column, row[position])
            content = Markup('<a href="{}">{}</a>').format(href, text) if href and i == 0 else text
            cells.append(Markup("<td{}>{}</td>").format(_num_class(numeric[i]), content))
        body.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    note = ""
    if len(result.rows) > limit:
        note = Markup('<p class="table-note">Showing {} of {} rows</p>').format(
            f"{limit:,}", f"{len(result.rows):,}"
        )
    return Markup(
        '<div class="data-table"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}</div>'
    ).format(head, Markup("\n").join(body), note)


def _row_limit(component: Component) -> int:
    rows = component.attrs.get("rows", str(DEFAULT_TABLE_ROWS))
    if not rows.isdigit() or int(rows) == 0:
        raise ComponentError(f"<DataTable> rows= must be a positive whole number, not {rows!r}")
    return int(rows)


def _is_numeric(values: object) -> bool:
    return any(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


def _num_class(is_numeric: bool) -> Markup:
    return Markup(' class="num"') if is_numeric else Markup("")


def chart_figure(component: Component, result: QueryResult) -> go.Figure:
    """A plotly figure for a Bar/Line/AreaChart: one trace per ``series`` value."""
    if component.name == "Heatmap":
        return heatmap_figure(component, result)
    x, y = required(component, "x"), required(component, "y")
    series = component.attrs.get("series")
    for column in (x, y, series):
        if column:
            result.index(column)
    frame = result.to_frame()
    groups = (
        frame.groupby(series, sort=False, dropna=False) if series else [(column_title(y), frame)]
    )
    traces = [
        _trace(component.name, str(name), group[x].tolist(), group[y].tolist())
        for name, group in groups
    ]
    figure = go.Figure(traces)
    title = component.attrs.get("title")
    axis = {"automargin": True, "linecolor": "#9ca3af", "zerolinecolor": "#9ca3af"}
    figure.update_layout(
        template="none",
        colorway=COLORWAY,
        font={"family": "system-ui, sans-serif", "color": "#1f2937"},
        title=title,
        height=360,
        margin={"l": 16, "r": 16, "t": 48 if title else 16, "b": 16},
        barmode="stack",
        showlegend=series is not None,
        legend_title_text=column_title(series) if series else None,
        xaxis={"title": column_title(x), "showgrid": False, **axis},
        yaxis={"title": column_title(y), "gridcolor": "#e5e7eb", **axis, **plotly_axis_format(y)},
    )
    return figure


HEATMAP_COLORSCALE = ((0.0, "#f7fbff"), (1.0, COLORWAY[0]))
HEATMAP_CELL_TEXT = {"usd": "$%{z:,.0f}", "pct": "%{z:.0%}", "plain": "%{z:,.2~f}"}


def heatmap_figure(component: Component, result: QueryResult) -> go.Figure:
    """A plotly heatmap: ``value`` per ``x`` (columns) and ``y`` (rows), labelled in each cell.

    Rows and columns keep the order in which they first appear in the query
    (order the query as the reader should see it; the first row is drawn at
    the top); a pair with no row is an empty cell. ``min`` and ``max`` pin
    the colour scale (e.g. 0 and 100 for a score).
    """
    x, y, value = (required(component, attr) for attr in ("x", "y", "value"))
    for column in (x, y, value):
        result.index(column)
    frame = result.to_frame()
    columns = list(dict.fromkeys(frame[x].tolist()))
    rows = list(dict.fromkeys(frame[y].tolist()))
    cells = {(r, c): v for r, c, v in zip(frame[y], frame[x], frame[value], strict=True)}
    z = [[_cell(cells.get((r, c))) for c in columns] for r in rows]
    fmt = column_format(value)
    title = component.attrs.get("title")
    figure = go.Figure(
        go.Heatmap(
            x=[str(c) for c in columns],
            y=[str(r) for r in rows],
            z=z,
            zmin=_number_attr(component, "min"),
            zmax=_number_attr(component, "max"),
            colorscale=[list(stop) for stop in HEATMAP_COLORSCALE],
            texttemplate=HEATMAP_CELL_TEXT[fmt],
            hovertemplate=f"{column_title(y)}: %{{y}}<br>{column_title(x)}: %{{x}}<br>"
            f"{column_title(value)}: {HEATMAP_CELL_TEXT[fmt]}<extra></extra>",
            colorbar={"title": {"text": column_title(value)}},
            xgap=1,
            ygap=1,
        )
    )
    figure.update_layout(
        template="none",
        font={"family": "system-ui, sans-serif", "color": "#1f2937"},
        title={"text": title, "y": 0.99, "yanchor": "top"} if title else None,
        height=max(360, 160 + 24 * len(rows)),
        # the column labels sit on top, under the title
        margin={"l": 16, "r": 16, "t": 112 if title else 64, "b": 16},
        xaxis={"title": column_title(x), "side": "top", "automargin": True, "type": "category"},
        yaxis={
            "title": column_title(y),
            "autorange": "reversed",
            "automargin": True,
            "type": "category",
        },
    )
    return figure


def _cell(value: object) -> object:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _number_attr(component: Component, attr: str) -> float | None:
    text = component.attrs.get(attr)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise ComponentError(f"<{component.name}> {attr}= must be a number, not {text!r}") from None


def _trace(kind: str, name: str, x: list[object], y: list[object]) -> go.Bar | go.Scatter:
    if kind == "BarChart":
        return go.Bar(x=x, y=y, name=name)
    if kind == "AreaChart":
        return go.Scatter(x=x, y=y, name=name, mode="lines", stackgroup="area")
    return go.Scatter(x=x, y=y, name=name, mode="lines")


def chart(component: Component, result: QueryResult) -> Markup:
    """A placeholder the site script fills with plotly, and the figure as inline JSON."""
    spec = chart_figure(component, result).to_json()
    safe_json = spec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(
        '<figure class="chart"><div class="plot"></div>'
        '<script type="application/json" class="plot-spec">{}</script></figure>'
    ).format(Markup(safe_json))


def error_box(title: str, message: str) -> Markup:
    return Markup(
        '<div class="error" role="alert"><p class="error-title">{}</p><pre>{}</pre></div>'
    ).format(title, message)
