"""Value formats: Evidence's ``fmt=`` names, and its column-name format tags as the default.

A component prop ``fmt=`` (``Column``, ``BigValue``; ``xFmt``/``yFmt`` on charts)
names one of Evidence's built-in formats, with Evidence's meaning:

``usd``, ``usd0``-``usd2``      ``$1,235`` / ``$1,234.6`` ...; ``usd0k``-``usd2k`` and
                                ``usd0m``-``usd2m`` in thousands or millions (``$64.3k``)
``pct``, ``pct0``-``pct3``      a fraction as percent: ``0.731`` -> ``73.1%`` (``pct`` = ``pct1``)
``num0``-``num4``               ``1,234.57``; ``num0k``-``num2k``, ``num0m``-``num2m`` likewise
``mult``, ``mult0``-``mult2``   ``5.3x``
``id``                          the value as written, no separators
``date``, ``longdate``,         ``2026-11-21``, ``November 21, 2026``, ``Nov 21/26``,
``shortdate``, ``mmm``,         ``Nov``, ``2026``, and ``mmm yyyy``/``yyyy-mm-dd`` style codes
``yyyy``

Without ``fmt=`` the column name decides, as Evidence's SQL format tags do:
``*_usd`` whole dollars, ``*_pct`` percent; other numbers get thousands
separators and at most two decimals, dates ISO format.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

NULL_TEXT = "—"
_SCALES = {"": (1, ""), "k": (1e3, "k"), "m": (1e6, "M"), "b": (1e9, "B")}
_NUMBER_FORMAT = re.compile(r"^(?P<kind>usd|num|pct|mult)(?P<decimals>[0-4])?(?P<scale>[kmb])?$")
_DATE_FORMATS = {
    "date": "%Y-%m-%d",
    "yyyy-mm-dd": "%Y-%m-%d",
    "longdate": "%B {day}, %Y",
    "fulldate": "%A %B {day}, %Y",
    "shortdate": "%b {day}/%y",
    "mmm": "%b",
    "mmmm": "%B",
    "yyyy": "%Y",
    "mmm yyyy": "%b %Y",
    "mmm d": "%b {day}",
    "ddd": "%a",
}
_ACRONYMS = frozenset({"ae", "arr", "acv", "cac", "csat", "csm", "csql", "grr", "id", "nps", "nrr"})
_TAG_SUFFIXES = ("_usd", "_pct")


class FormatError(ValueError):
    """A ``fmt=`` value that is not one of the supported Evidence formats."""


@dataclass(frozen=True)
class Format:
    """A parsed format: ``kind`` is usd, num, pct, mult, id, date or auto."""

    kind: str
    decimals: int | None = None
    scale: str = ""
    date_pattern: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.kind == "pct"


AUTO = Format("auto")


def parse_format(name: str | None) -> Format:
    """The format a ``fmt=`` value names (``None`` or empty: chosen from the column name)."""
    if not name:
        return AUTO
    key = name.strip().lower()
    if key == "id":
        return Format("id")
    if key in _DATE_FORMATS:
        return Format("date", date_pattern=_DATE_FORMATS[key])
    match = _NUMBER_FORMAT.match(key)
    if not match:
        supported = "usd, usd0-2[k|m], num0-4[k|m], pct, pct0-3, mult, mult0-2, id, " + ", ".join(
            _DATE_FORMATS
        )
        raise FormatError(f"fmt={name!r} is not a supported format ({supported})")
    kind, decimals, scale = match["kind"], match["decimals"], match["scale"] or ""
    if decimals is None:
        decimals = {"usd": 0, "num": None, "pct": 1, "mult": 1}[kind]
    return Format(kind, None if decimals is None else int(decimals), scale)


def column_format(column: str) -> Format:
    """The default format of a column, from Evidence's format tags in its name."""
    name = column.lower()
    if name.endswith("_usd"):
        return Format("usd", 0)
    if name.endswith("_pct"):
        return Format("pct", 1)
    return AUTO


@cache  # pure, and asked for every column of every table of every page
def resolve(column: str, fmt: str | None) -> Format:
    return parse_format(fmt) if fmt else column_format(column)


def format_value(value: object, fmt: Format = AUTO) -> str:
    """``value`` as display text in ``fmt``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NULL_TEXT
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        value = value.date() if fmt.kind == "date" else value
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        pattern = fmt.date_pattern or "%Y-%m-%d"
        return value.strftime(pattern).replace("{day}", str(value.day))
    if isinstance(value, int | float | Decimal):
        return _format_number(fmt, value)
    return str(value)


def _format_number(fmt: Format, value: float | Decimal | int) -> str:
    number = float(value)
    if fmt.kind == "id":
        return str(value)
    if fmt.kind == "pct":
        return f"{number * 100:,.{fmt.decimals}f}%"
    if fmt.kind == "mult":
        return f"{number:,.{fmt.decimals}f}x"
    divisor, suffix = _SCALES[fmt.scale]
    scaled = number / divisor
    if fmt.kind == "usd":
        sign = "-" if scaled < 0 else ""
        return f"{sign}${abs(scaled):,.{fmt.decimals}f}{suffix}"
    if fmt.kind == "num" and fmt.decimals is not None:
        return f"{scaled:,.{fmt.decimals}f}{suffix}"
    if isinstance(value, int) or number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def plotly_format(fmt: Format) -> str | None:
    """A d3 format string that shows numbers in ``fmt`` on a plotly axis or hover."""
    if fmt.kind == "pct":
        return f".{fmt.decimals}%"
    if fmt.scale and fmt.kind in ("usd", "num"):
        # SI prefixes with up to three significant digits: $500k, $1.5M, $2.25M
        return ("$" if fmt.kind == "usd" else "") + ".3~s"
    if fmt.kind == "usd":
        return f"$,.{fmt.decimals}f"
    if fmt.kind == "num" and fmt.decimals is not None:
        return f",.{fmt.decimals}f"
    if fmt.kind == "mult":
        return f".{fmt.decimals}f"
    return None


@cache  # pure, and asked for every column of every table of every page
def column_title(column: str) -> str:
    """A heading when no ``title=`` is given: ``current_arr_usd`` -> ``Current ARR``."""
    name = column
    for suffix in _TAG_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in name.split("_") if w]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)
