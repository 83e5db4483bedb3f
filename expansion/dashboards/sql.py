"""Compile a page's SQL the way Evidence does, but with bound parameters.

``${other}`` inlines an earlier query of the same page as a subquery.
``'${params.name}'`` (quoted or not) becomes the DuckDB named parameter
``$name``, bound to the page parameter's value instead of being pasted in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_QUERY_REFERENCE = re.compile(r"\$\{\s*(?P<name>[A-Za-z_]\w*)\s*\}")
_PARAM_REFERENCE = re.compile(r"(?P<quote>')?\$\{\s*params\.(?P<name>\w+)\s*\}(?(quote)')")


class QueryReferenceError(ValueError):
    """A query references a query that is not defined above it on the page."""


def compile_query(sql: str, earlier: Mapping[str, str]) -> str:
    """``sql`` with every ``${name}`` replaced by ``(compiled sql of name)``.

    ``earlier`` maps the names of the queries above this one to their compiled SQL.
    """

    def inline(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in earlier:
            raise QueryReferenceError(f"${{{name}}} does not name a query above this one")
        return f"({earlier[name].rstrip().rstrip(';')})"

    return _QUERY_REFERENCE.sub(inline, sql)


def bind_params(sql: str, params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """``sql`` with page parameters as ``$name`` placeholders, and the values to bind."""
    used: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in params:
            raise QueryReferenceError(f"params.{name} is not a parameter of this page")
        used[name] = params[name]
        return f"${name}"

    return _PARAM_REFERENCE.sub(placeholder, sql), used
