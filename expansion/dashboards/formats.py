"""Value formats chosen from column names, after Evidence's suffix conventions.

``*_usd``                                    currency, whole dollars: ``$1,234,567``
``*_pct``, ``*_rate``, ``nrr``, ``*_nrr``,   fractions shown as percent: ``1.18`` is
``grr``, ``*_grr``, ``precision``            ``118.0%``
anything else                                by value type: ``1,234``, ``1,234.57``,
                                             ``2024-01-31``, ``true``
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

Format = Literal["usd", "pct", "plain"]

NULL_TEXT = "—"
_PERCENT_SUFFIXES = ("_pct", "_rate", "nrr", "grr")
_PERCENT_NAMES = ("precision",)
_FORMAT_SUFFIXES = ("_usd", "_pct")
_ACRONYMS = frozenset({"ae", "arr", "csm", "grr", "id", "nrr", "usd"})


def column_format(column: str) -> Format:
    name = column.lower()
    if name.endswith("_usd"):
        return "usd"
    if name.endswith(_PERCENT_SUFFIXES) or name in _PERCENT_NAMES:
        return "pct"
    return "plain"


def format_value(column: str, value: object) -> str:
    """``value`` of ``column`` as display text."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return _format_number(column_format(column), value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _format_number(fmt: Format, value: float | Decimal) -> str:
    if fmt == "usd":
        sign = "-" if value < 0 else ""
        return f"{sign}${abs(value):,.0f}"
    if fmt == "pct":
        return f"{value * 100:,.1f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def plotly_axis_format(column: str) -> dict[str, str]:
    """Plotly axis settings that show ``column`` in its format (ticks and hover)."""
    return {
        "usd": {"tickformat": "$,.0f", "hoverformat": "$,.0f"},
        "pct": {"tickformat": ".0%", "hoverformat": ".1%"},
        "plain": {},
    }[column_format(column)]


def column_title(column: str) -> str:
    """A heading for ``column``: ``current_arr_usd`` -> ``Current ARR``."""
    name = column
    for suffix in _FORMAT_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in name.split("_") if w]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)
