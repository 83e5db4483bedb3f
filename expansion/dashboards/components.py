"""HTML for the Evidence components the offline renderer supports.

Each renderer takes the parsed component, the result of the query named by
its ``data`` attribute and a :class:`Context` (links, inputs, theme, other
results), and returns escaped HTML. Tables and charts carry their data as
inline JSON that ``assets/site.js`` turns into a sortable, searchable, paged
table or a plotly chart; the first page of every table is also written as
HTML. A component that cannot be drawn (missing attribute, unknown column,
unsupported format) raises :class:`ComponentError`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from markupsafe import Markup, escape

from expansion.dashboards.formats import (
    Format,
    FormatError,
    column_title,
    format_value,
    plotly_format,
    resolve,
)
from expansion.dashboards.parse import Component
from expansion.dashboards.theme import Theme

CHARTS = frozenset({"BarChart", "LineChart", "AreaChart", "Heatmap"})
ANNOTATIONS = frozenset({"ReferenceLine", "ReferenceArea"})
INPUTS = frozenset({"Dropdown"})
SUPPORTED = CHARTS | INPUTS | {"BigValue", "DataTable"}
DEFAULT_TABLE_ROWS = 10
"""Evidence's DataTable page size."""
ALL_VALUES = "%"
"""The value of a Dropdown's "all" option: ``column like '%'`` keeps every row."""

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

    def values(self, column: str) -> list[object]:
        position = self.index(column)
        return [row[position] for row in self.rows]


@dataclass(frozen=True)
class InputFilter:
    """A Dropdown that filters a query: rows whose ``column`` equals the chosen value."""

    input_name: str
    column: str


@dataclass
class Context:
    """What a component may need besides its own query result."""

    href_for: HrefFor
    theme: Theme
    results: Mapping[str, QueryResult | None] = field(default_factory=dict)
    filters: Mapping[str, tuple[InputFilter, ...]] = field(default_factory=dict)
    """Per query name, the Dropdowns its SQL reads (see ``site.input_filters``)."""


def required(component: Component, attr: str) -> str:
    if not component.attrs.get(attr):
        raise ComponentError(f"<{component.name}> needs a {attr}= attribute")
    return component.attrs[attr]


def flag(component: Component, attr: str, default: bool) -> bool:
    value = component.attrs.get(attr)
    if value is None:
        return default
    if value.lower() not in ("true", "false"):
        raise ComponentError(f"<{component.name}> {attr}= must be true or false, not {value!r}")
    return value.lower() == "true"


def fmt_of(component: Component, column: str, attr: str = "fmt") -> Format:
    try:
        return resolve(column, component.attrs.get(attr))
    except FormatError as exc:
        raise ComponentError(f"<{component.name}>: {exc}") from None


def render_component(component: Component, result: QueryResult, context: Context) -> Markup:
    """HTML for a component whose name is in :data:`SUPPORTED`."""
    if component.name == "BigValue":
        return big_value(component, result, context)
    if component.name == "Dropdown":
        return dropdown(component, result)
    if component.name == "DataTable":
        return data_table(component, result, context)
    if not result.rows:
        return Markup('<p class="empty">No rows in <code>{}</code>.</p>').format(
            component.attrs.get("data")
        )
    return chart(component, result, context)


# --- BigValue ---------------------------------------------------------------


def big_value(component: Component, result: QueryResult, context: Context) -> Markup:
    column = required(component, "value")
    value = result.values(column)[0] if result.rows else None
    text = format_value(value, fmt_of(component, column))
    title = component.attrs.get("title") or column_title(column)
    comparison = _comparison(component, result)
    number = Markup('<p class="big-value-number">{}</p>').format(text)
    link = component.attrs.get("link")
    if link and (href := context.href_for(link)):
        number = Markup('<a class="big-value-link" href="{}">{}</a>').format(href, number)
    return Markup('<div class="big-value"><p class="big-value-title">{}</p>{}{}</div>').format(
        title, number, comparison
    )


def _comparison(component: Component, result: QueryResult) -> Markup:
    column = component.attrs.get("comparison")
    if not column:
        return Markup("")
    value = result.values(column)[0] if result.rows else None
    title = component.attrs.get("comparisonTitle") or column_title(column)
    fmt = fmt_of(component, column, "comparisonFmt")
    if not flag(component, "comparisonDelta", True) or value is None:
        return Markup('<p class="big-value-comparison">{} {}</p>').format(
            format_value(value, fmt), title
        )
    number = float(value)
    good = number < 0 if flag(component, "downIsGood", False) else number > 0
    tone = "neutral" if number == 0 else ("positive" if good else "negative")
    arrow = "▲" if number > 0 else ("▼" if number < 0 else "●")
    text = format_value(abs(number), fmt)
    return Markup('<p class="big-value-comparison delta-{}">{} {} {}</p>').format(
        tone, arrow, text, title
    )


# --- Dropdown ---------------------------------------------------------------


def dropdown_options(component: Component, result: QueryResult | None) -> list[tuple[str, str]]:
    """(value, label) pairs: the DropdownOption children first, then the query's values."""
    options = [
        (required(child, "value"), child.attrs.get("valueLabel") or child.attrs["value"])
        for child in component.children
        if child.name == "DropdownOption"
    ]
    if result is not None and component.attrs.get("value"):
        values = result.values(component.attrs["value"])
        labels = result.values(component.attrs.get("label") or component.attrs["value"])
        seen = {v for v, _ in options}
        for value, label in zip(values, labels, strict=True):
            if value is not None and str(value) not in seen:
                seen.add(str(value))
                options.append((str(value), str(label)))
    return options


def dropdown(component: Component, result: QueryResult | None) -> Markup:
    name = required(component, "name")
    options = dropdown_options(component, result)
    default = component.attrs.get("defaultValue") or (options[0][0] if options else "")
    items = Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            value, Markup(" selected") if value == default else Markup(""), label
        )
        for value, label in options
    )
    return Markup(
        '<label class="dropdown"><span>{}</span><select data-input="{}">{}</select></label>'
    ).format(component.attrs.get("title") or column_title(name), name, items)


# --- DataTable --------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    id: str
    title: str
    fmt: Format
    numeric: bool
    link_label: str | None = None
    """For ``contentType=link``: the column (or text) to show as the link's label."""
    is_date: bool = False
    """Dates do not wrap at their hyphens."""
    pinned: bool = False
    """Stays in view when the table scrolls sideways (a narrow screen): the first link
    column, else the first column; what names the row."""


def table_columns(component: Component, result: QueryResult) -> list[TableColumn]:
    link = component.attrs.get("link")
    specs = [c for c in component.children if c.name == "Column"]
    if not specs:
        specs = [Component("Column", {"id": c}) for c in result.columns if c != link]
    columns = []
    for spec in specs:
        column = required(spec, "id")
        position = result.index(column)
        content_type = spec.attrs.get("contentType")
        if content_type not in (None, "link"):
            raise ComponentError(f"<Column contentType={content_type}> is not supported offline")
        label = spec.attrs.get("linkLabel") if content_type == "link" else None
        numeric = spec.attrs.get("align") == "right" or (
            spec.attrs.get("align") is None
            and label is None
            and any(_is_number(row[position]) for row in result.rows)
        )
        columns.append(
            TableColumn(
                column,
                spec.attrs.get("title") or column_title(column),
                fmt_of(spec, column),
                numeric,
                label if content_type == "link" else None,
                is_date=label is None
                and any(isinstance(row[position], dt.date) for row in result.rows),
            )
        )
    if columns:
        links = [i for i, c in enumerate(columns) if c.link_label is not None]
        pinned = links[0] if links else 0
        columns[pinned] = replace(columns[pinned], pinned=True)
    return columns


def data_table(component: Component, result: QueryResult, context: Context) -> Markup:
    query = required(component, "data")
    columns = table_columns(component, result)
    link = component.attrs.get("link")
    link_values = result.values(link) if link else None
    page_size = _page_size(component, len(result.rows))
    # positions looked up once per table, not once per cell
    positions = [result.index(column.id) for column in columns]
    label_positions = [
        result.columns.index(c.link_label) if c.link_label in result.columns else None
        for c in columns
    ]
    rows = []
    for i, row in enumerate(result.rows):
        cells, raws = [], []
        for column, position, label_position in zip(
            columns, positions, label_positions, strict=True
        ):
            value = row[position]
            raws.append(_raw(value))
            if column.link_label is not None:
                label_value = (
                    row[label_position] if label_position is not None else column.link_label
                )
                href = context.href_for(str(value)) if value is not None else None
                text = format_value(label_value)
                cells.append([text, href] if href else text)
                raws[-1] = _raw(label_value)
            else:
                cells.append(format_value(value, column.fmt))
        row_href = context.href_for(str(link_values[i])) if link_values else None
        rows.append([cells, raws, row_href])
    filters = [
        {"input": f.input_name, "values": [_raw(v) for v in result.values(f.column)]}
        for f in context.filters.get(query, ())
    ]
    sort = _initial_sort(component, columns)
    payload = {
        "name": query,
        "columns": [
            {"title": c.title, "num": c.numeric, "date": c.is_date, "pin": c.pinned}
            for c in columns
        ],
        "rows": rows,
        "pageSize": page_size,
        "search": flag(component, "search", False),
        "sortable": flag(component, "sortable", True),
        "download": flag(component, "downloadable", True),
        "sort": sort,
        "filters": filters,
    }
    first_page = _sorted_rows(rows, sort)[:page_size]
    cell_classes = [_cell_class(c) for c in columns]
    head = "".join(
        f"<th{cell_class}>{escape(c.title)}</th>"
        for cell_class, c in zip(cell_classes, columns, strict=True)
    )
    body = Markup("\n").join(_row_html(row, cell_classes) for row in first_page)
    note = ""
    if len(rows) > page_size:
        note = Markup('<p class="table-note">Showing 1-{} of {} rows</p>').format(
            f"{page_size:,}", f"{len(rows):,}"
        )
    empty = Markup('<p class="empty">No rows.</p>') if not rows else ""
    # f-strings, every part escaped or already Markup: this runs for every table of every
    # account page, and Markup.format costs several times as much
    return Markup(
        f'<div class="data-table"><div class="table-scroll"><table><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>{escape(empty)}{escape(note)}"
        f"{json_script('table-data', payload)}</div>"
    )


def _row_html(row: list, cell_classes: list[Markup]) -> Markup:
    """One table row, every value escaped (``escape`` leaves Markup as it is), built as a
    plain string: this runs for every cell of every table of every account page."""
    cells, _, row_href = row
    parts = []
    for cell, cell_class in zip(cells, cell_classes, strict=True):
        if isinstance(cell, list):
            content = f'<a href="{escape(cell[1])}">{escape(cell[0])}</a>'
        else:
            content = escape(cell)
        parts.append(f"<td{cell_class}>{content}</td>")
    href_attr = f' data-href="{escape(row_href)}"' if row_href else ""
    return Markup(f"<tr{href_attr}>{''.join(parts)}</tr>")


def _page_size(component: Component, total: int) -> int:
    rows = component.attrs.get("rows", str(DEFAULT_TABLE_ROWS))
    if rows == "all":
        return max(total, 1)
    if not rows.isdigit() or int(rows) == 0:
        raise ComponentError(
            f"<DataTable> rows= must be a positive whole number or all, not {rows!r}"
        )
    return int(rows)


def _initial_sort(component: Component, columns: list[TableColumn]) -> list | None:
    sort = component.attrs.get("sort")
    if not sort:
        return None
    parts = sort.split()
    ids = [c.id for c in columns]
    if parts[0] not in ids or len(parts) > 2 or parts[1:] not in ([], ["asc"], ["desc"]):
        raise ComponentError(f"<DataTable> sort= must name a shown column and asc|desc: {sort!r}")
    return [ids.index(parts[0]), parts[1] if len(parts) == 2 else "asc"]


def _sorted_rows(rows: list, sort: list | None) -> list:
    if not sort:
        return rows
    position, direction = sort
    present = [r for r in rows if r[1][position] is not None]
    missing = [r for r in rows if r[1][position] is None]
    present.sort(key=lambda r: _sort_key(r[1][position]), reverse=direction == "desc")
    return present + missing


def _sort_key(value: object) -> tuple:
    return (0, value, "") if isinstance(value, int | float) else (1, 0, str(value).lower())


def _raw(value: object) -> object:
    """A JSON value for sorting and CSV: numbers as numbers, dates ISO, the rest as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell_class(column: TableColumn) -> Markup:
    return _cell_class_of(column.numeric, column.is_date, column.pinned)


@cache  # eight possible classes, asked for every column of every table of every page
def _cell_class_of(numeric: bool, is_date: bool, pinned: bool) -> Markup:
    flags = (("num", numeric), ("date", is_date), ("pinned", pinned))
    classes = " ".join(name for name, on in flags if on)
    return Markup(f' class="{escape(classes)}"') if classes else Markup("")


# --- Charts -----------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a chart")


def json_text(payload: object) -> str:
    """``payload`` as compact JSON that is safe inside an HTML script element."""
    text = json.dumps(payload, default=_json_default, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_script(css_class: str, payload: object) -> Markup:
    """``payload`` as an inline JSON script element."""
    return Markup(
        f'<script type="application/json" class="{escape(css_class)}">{json_text(payload)}</script>'
    )


def _axis_title(component: Component, attr: str, column: str) -> str | None:
    value = component.attrs.get(attr)
    if value is None or value.lower() == "false":
        return None
    return column_title(column) if value.lower() == "true" else value


def _kind(values: Sequence[object]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, dt.date) for v in present):
        return "date"
    if present and all(_is_number(v) for v in present):
        return "number"
    return "category"


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def chart_figure(component: Component, result: QueryResult, context: Context) -> dict:
    """A plotly figure (plain dicts) for a Bar/Line/AreaChart or Heatmap."""
    if component.name == "Heatmap":
        return heatmap_figure(component, result, context)
    x, y = required(component, "x"), required(component, "y")
    series = component.attrs.get("series")
    x_values, y_values = result.values(x), [_number(v) for v in result.values(y)]
    names = [str(v) for v in result.values(series)] if series else [column_title(y)] * len(x_values)
    x_kind = _kind(x_values)
    order = list(range(len(x_values)))
    if flag(component, "sort", True):
        if x_kind in ("date", "number"):
            order.sort(key=lambda i: x_values[i])
        elif not series:
            order.sort(key=lambda i: -(y_values[i] or 0))
    groups: dict[str, list[int]] = {}
    for i in order:
        groups.setdefault(names[i], []).append(i)
    palette = context.theme.palette(component.attrs.get("colorPalette"))
    y_fmt = fmt_of(component, y, "yFmt")
    x_fmt = fmt_of(component, x, "xFmt")
    traces = []
    for n, (name, rows) in enumerate(groups.items()):
        colour = palette[n % len(palette)]
        xs = [x_values[i] for i in rows]
        ys = [y_values[i] for i in rows]
        traces.append(_trace(component, name, xs, ys, colour, y_fmt))
    horizontal = flag(component, "swapXY", False)
    if horizontal:
        for trace in traces:
            trace["x"], trace["y"], trace["orientation"] = trace["y"], trace["x"], "h"
    layout = _layout(component, context, legend_items=len(groups) if series else 0)
    value_axis = {
        "gridcolor": "#e5e7eb",
        "zeroline": False,
        "automargin": True,
        **_tick_format(y_fmt),
        **_range(component),
    }
    category_axis = {"showgrid": False, "automargin": True} | _x_axis(
        x_kind, x_fmt, len(set(x_values))
    )
    if y_title := _axis_title(component, "yAxisTitle", y):
        value_axis["title"] = {"text": y_title}
    if x_title := _axis_title(component, "xAxisTitle", x):
        category_axis["title"] = {"text": x_title}
    layout["xaxis"], layout["yaxis"] = (
        (value_axis, category_axis | {"autorange": "reversed"})
        if horizontal
        else (category_axis, value_axis)
    )
    type_ = component.attrs.get("type", "stacked")
    if component.name == "BarChart":
        layout["barmode"] = {"stacked": "relative", "grouped": "group"}.get(type_)
        if layout["barmode"] is None:
            raise ComponentError(f"<BarChart> type= must be stacked or grouped, not {type_!r}")
    shapes, annotations = reference_marks(component, context, horizontal)
    layout["shapes"], layout["annotations"] = shapes, annotations
    return {"data": traces, "layout": layout}


def _trace(component: Component, name: str, xs: list, ys: list, colour: str, fmt: Format) -> dict:
    hover = plotly_format(fmt)
    template = f"%{{y:{hover}}}" if hover else "%{y}"
    trace: dict = {
        "name": name,
        "x": xs,
        "y": ys,
        "hovertemplate": f"{name}: {template}<extra></extra>",
    }
    if component.name == "BarChart":
        return trace | {"type": "bar", "marker": {"color": colour}}
    line = {"color": colour, "width": 2}
    if component.attrs.get("lineType") in ("dashed", "dotted"):
        line["dash"] = "dash" if component.attrs["lineType"] == "dashed" else "dot"
    # a series of one or two points is invisible as a line: draw its points
    markers = flag(component, "markers", False) or len([v for v in ys if v is not None]) <= 2
    trace |= {"type": "scatter", "mode": "lines+markers" if markers else "lines", "line": line}
    if component.name == "AreaChart":
        trace["stackgroup"] = "area"
    return trace


def _tick_format(fmt: Format) -> dict:
    d3 = plotly_format(fmt)
    return {"tickformat": d3, "hoverformat": d3} if d3 else {}


def _range(component: Component) -> dict:
    low, high = _number_attr(component, "yMin"), _number_attr(component, "yMax")
    if low is not None and high is not None:
        return {"range": [low, high], "autorange": False}
    if low is not None:
        return {"range": [low, None], "autorange": "max"}
    if high is not None:
        return {"range": [None, high], "autorange": "min"}
    return {}


def _x_axis(kind: str, fmt: Format, distinct: int) -> dict:
    if kind == "date":
        if distinct < 3:
            # a date axis over one or two days draws hours as ticks: show the days themselves
            return {"type": "category"}
        return {"type": "date", "hoverformat": "%Y-%m-%d"}
    if kind == "number":
        return _tick_format(fmt)
    return {"type": "category", "automargin": True}


def _layout(component: Component, context: Context, legend_items: int) -> dict:
    """A legend (for two series or more) sits under the chart, below the x axis and its
    title, and adds a line of height per three series (the rows a narrow screen needs)."""
    title = component.attrs.get("title")
    height = int(_number_attr(component, "chartAreaHeight") or 300) + (48 if title else 16)
    show_legend = legend_items > 1
    return {
        "font": {"family": "system-ui, sans-serif", "color": "#1f2937", "size": 12},
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}}
        if title
        else None,
        "height": height + (20 + 20 * math.ceil(legend_items / 3) if show_legend else 0),
        "margin": {"l": 8, "r": 8, "t": 40 if title else 8, "b": 8},
        "showlegend": show_legend,
        "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "colorway": list(context.theme.palette(None)),
    }


def reference_marks(component: Component, context: Context, horizontal: bool) -> tuple[list, list]:
    """Plotly shapes and labels for the chart's ReferenceLine and ReferenceArea children."""
    shapes: list = []
    annotations: list = []
    for child in component.children:
        if child.name not in ANNOTATIONS:
            raise ComponentError(f"<{child.name}> is not supported inside <{component.name}>")
        for mark in _mark_rows(child, context):
            draw = _reference_line if child.name == "ReferenceLine" else _reference_area
            shape, label = draw(child, mark, context, horizontal)
            shapes.append(shape)
            if label:
                annotations.append(label)
    return shapes, annotations


def _mark_rows(child: Component, context: Context) -> list[dict[str, object]]:
    """One mapping of coordinate attribute -> value per mark (one per row with data=)."""
    keys = ("x", "y", "xMin", "xMax", "yMin", "yMax", "label")
    data = child.attrs.get("data")
    if not data:
        return [{k: child.attrs[k] for k in keys if k in child.attrs}]
    result = context.results.get(data)
    if data not in context.results:
        raise ComponentError(f"<{child.name}>: no query named {data} above it on this page")
    if result is None:
        raise ComponentError(f"<{child.name}>: its query {data} failed (see above)")
    marks = []
    for row in result.rows:
        mark = {}
        for key in keys:
            column = child.attrs.get(key)
            if column:
                mark[key] = row[result.index(column)]
        marks.append(mark)
    return marks


def _reference_line(child: Component, mark: Mapping, context: Context, horizontal: bool):
    colour = context.theme.colour(child.attrs.get("color"), "base-content-muted")
    dash = {"solid": "solid", "dotted": "dot"}.get(child.attrs.get("lineType", "dashed"), "dash")
    line = {"color": colour, "width": float(child.attrs.get("lineWidth", 1.5)), "dash": dash}
    along_y = mark.get("y") is not None and mark.get("x") is None
    value = mark.get("y") if along_y else mark.get("x")
    if value is None:
        raise ComponentError("<ReferenceLine> needs x= or y=")
    value = _coordinate(value)
    value_is_y = along_y != horizontal
    if value_is_y:
        shape = {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": value,
            "y1": value,
        }
    else:
        shape = {
            "type": "line",
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "xref": "x",
            "x0": value,
            "x1": value,
        }
    shape["line"] = line
    label = mark.get("label")
    if not label:
        return shape, None
    position = {
        "x": 1,
        "xref": "paper",
        "xanchor": "right",
        "y": value,
        "yref": "y",
        "yanchor": "bottom",
    }
    if not value_is_y:
        # above the plot area, where it hides no bar or point
        position = {
            "x": value,
            "xref": "x",
            "xanchor": "left",
            "y": 1,
            "yref": "paper",
            "yanchor": "bottom",
        }
    return shape, {
        "text": str(label),
        "showarrow": False,
        "font": {"color": colour, "size": 11},
        "bgcolor": "rgba(255,255,255,0.75)",
        **position,
    }


def _reference_area(child: Component, mark: Mapping, context: Context, horizontal: bool):
    colour = context.theme.colour(child.attrs.get("color"), "info")
    y0, y1 = mark.get("yMin"), mark.get("yMax")
    x0, x1 = mark.get("xMin"), mark.get("xMax")
    if all(v is None for v in (y0, y1, x0, x1)):
        raise ComponentError("<ReferenceArea> needs at least one of xMin, xMax, yMin, yMax")
    shape: dict = {
        "type": "rect",
        "layer": "below",
        "line": {"width": 0},
        "fillcolor": colour,
        "opacity": float(child.attrs.get("opacity", 0.12)),
    }
    value_axis = "x" if horizontal else "y"
    other_axis = "y" if horizontal else "x"
    lo, hi = _coordinate(y0), _coordinate(y1)
    if lo is None and hi is None:
        shape |= {f"{value_axis}ref": "paper", f"{value_axis}0": 0, f"{value_axis}1": 1}
    else:
        # an open end reaches the edge of the axis; site.js sets it once the axis is drawn,
        # so that the band does not stretch the axis itself
        open_end = "min" if lo is None else ("max" if hi is None else None)
        shape |= {
            f"{value_axis}ref": value_axis,
            f"{value_axis}0": lo if lo is not None else hi,
            f"{value_axis}1": hi if hi is not None else lo,
        }
        if open_end:
            shape["name"] = f"open-{open_end}"
    shape[f"{other_axis}ref"] = other_axis if (x0 is not None or x1 is not None) else "paper"
    shape[f"{other_axis}0"] = _coordinate(x0) if x0 is not None else 0
    shape[f"{other_axis}1"] = _coordinate(x1) if x1 is not None else 1
    label = mark.get("label")
    if not label:
        return shape, None
    if horizontal:
        # above the plot area at the band's start, where it hides no bar
        position = {
            "xref": shape["xref"],
            "x": shape["x0"] if shape["xref"] == "paper" else min(shape["x0"], shape["x1"]),
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
        }
    else:
        position = {
            "xref": "paper",
            "x": 0.005,
            "xanchor": "left",
            "yref": shape["yref"],
            "y": shape["y1"] if shape["yref"] == "paper" or hi is not None else lo,
            "yanchor": "top" if hi is not None else "bottom",
        }
    return shape, {
        "text": str(label),
        "showarrow": False,
        **position,
        "font": {
            "color": context.theme.colour(child.attrs.get("labelColor"), "base-content-muted"),
            "size": 11,
        },
    }


def _coordinate(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _number_attr(component: Component, attr: str) -> float | None:
    text = component.attrs.get(attr)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise ComponentError(f"<{component.name}> {attr}= must be a number, not {text!r}") from None


def heatmap_figure(component: Component, result: QueryResult, context: Context) -> dict:
    """``value`` per ``x`` (columns) and ``y`` (rows), labelled in each cell.

    Rows and columns keep the order in which they first appear in the query
    (the first row is drawn at the top); a pair with no row is an empty cell.
    ``min`` and ``max`` pin the colour scale (e.g. 0 and 100 for a score).
    """
    x, y, value = (required(component, attr) for attr in ("x", "y", "value"))
    xs, ys, vs = result.values(x), result.values(y), result.values(value)
    x_fmt = fmt_of(component, x, "xFmt")
    columns = list(dict.fromkeys(format_value(v, x_fmt) for v in xs))
    rows = list(dict.fromkeys(str(v) for v in ys))
    cells = {
        (str(r), format_value(c, x_fmt)): _number(v) for r, c, v in zip(ys, xs, vs, strict=True)
    }
    fmt = fmt_of(component, value, "valueFmt")
    d3 = plotly_format(fmt) or ",.2~f"
    title = component.attrs.get("title")
    trace = {
        "type": "heatmap",
        "x": columns,
        "y": rows,
        "z": [[cells.get((r, c)) for c in columns] for r in rows],
        "zmin": _number_attr(component, "min"),
        "zmax": _number_attr(component, "max"),
        "colorscale": context.theme.colour_scale(),
        "texttemplate": f"%{{z:{d3}}}",
        "hovertemplate": f"%{{y}} · %{{x}}: %{{z:{d3}}}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
        "colorbar": {"tickformat": d3, "thickness": 12}
        | _whole_number_ticks(
            fmt, [*vs, _number_attr(component, "min"), _number_attr(component, "max")]
        ),
    }
    layout = _layout(component, context, legend_items=0)
    layout |= {
        "height": max(300, 120 + 24 * len(rows)),
        "margin": {"l": 8, "r": 8, "t": 96 if title else 56, "b": 8},
        "xaxis": {"side": "top", "automargin": True, "type": "category"},
        "yaxis": {"autorange": "reversed", "automargin": True, "type": "category"},
    }
    if title:
        layout["title"] |= {"y": 0.99, "yanchor": "top", "yref": "container"}
    return {"data": [trace], "layout": layout}


def _whole_number_ticks(fmt: Format, values: Sequence[object]) -> dict:
    """One tick per whole number on a short scale (``values`` and its pinned ends) of whole
    numbers shown without decimals (plotly's own steps of 0.5 would read 0, 1, 1, 2, 2)."""
    present = [float(v) for v in values if v is not None]  # type: ignore[arg-type]
    whole = fmt.kind in ("num", "usd") and fmt.decimals == 0 and not fmt.scale
    if not (whole and present and all(v.is_integer() for v in present)):
        return {}
    return {"dtick": 1} if max(present) - min(present) <= 10 else {}


def chart(component: Component, result: QueryResult, context: Context) -> Markup:
    """A placeholder the site script fills with plotly, and the figure as inline JSON."""
    figure = chart_figure(component, result, context)
    return Markup('<figure class="chart"><div class="plot"></div>{}</figure>').format(
        json_script("plot-spec", figure)
    )


def error_box(title: str, message: str) -> Markup:
    return Markup(
        '<div class="error" role="alert"><p class="error-title">{}</p><pre>{}</pre></div>'
    ).format(title, message)
