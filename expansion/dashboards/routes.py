"""Where each page is written and how pages link to each other.

A page's route is its path under ``pages/`` without ``.md`` (``index`` names
its folder), with ``[param]`` segments filled in; it is written to
``<route>/index.html`` so that every link is a relative file path that works
from ``file://``. Site paths as Evidence writes them (``/accounts/A-1``) map to
the same routes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

Route = tuple[str, ...]

_PARAM_SEGMENT = re.compile(r"^\[(?P<name>\w+)\]$")


def page_segments(relative_path: PurePosixPath) -> Route:
    """``accounts/[account_id].md`` -> ``("accounts", "[account_id]")``; ``index.md`` -> ``()``."""
    parts = relative_path.with_suffix("").parts
    return parts[:-1] if parts and parts[-1] == "index" else parts


def template_params(segments: Route) -> tuple[str, ...]:
    return tuple(m["name"] for s in segments if (m := _PARAM_SEGMENT.match(s)))


def route_segment(value: str) -> str:
    """``value`` as one segment of a file path: percent-encoded, never empty, ``.`` or ``..``."""
    if not value:
        raise ValueError("an empty value cannot name a page")
    segment = quote(value, safe="")
    return segment.replace(".", "%2E") if set(segment) == {"."} else segment


def fill_route(segments: Route, values: Mapping[str, str]) -> Route:
    """The route of one templated page: each ``[param]`` segment replaced by its value."""
    return tuple(
        route_segment(values[m["name"]]) if (m := _PARAM_SEGMENT.match(s)) else s for s in segments
    )


def output_file(route: Route) -> PurePosixPath:
    return PurePosixPath(*route, "index.html")


def site_path_route(site_path: str) -> Route:
    """The route an Evidence site path (``/accounts/A-1``) refers to."""
    return tuple(route_segment(unquote(p)) for p in site_path.strip("/").split("/") if p)


def relative_href(from_route: Route, target: PurePosixPath) -> str:
    """A link from the page at ``from_route`` to ``target`` (a path under the site root).

    Up from the page's folder to the deepest folder the two share, then down to
    ``target``: what ``posixpath.relpath`` gives for these paths (no ``.`` or ``..``
    segment in a route), without its normalising - this runs for every link of
    every page."""
    parts = target.parts
    shared = 0
    for here, there in zip(from_route, parts, strict=False):
        if here != there:
            break
        shared += 1
    relative = [".."] * (len(from_route) - shared) + list(parts[shared:])
    return "/".join(quote(part, safe="") for part in relative) or "."
