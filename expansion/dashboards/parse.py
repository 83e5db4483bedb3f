"""Parse an Evidence markdown page into frontmatter and a sequence of blocks.

A page body is a mix of three kinds of block, kept in page order:

``Markdown``   prose (and fenced code that is not a named SQL query)
``Query``      a fenced block opened with ```` ```sql <name> ````
``Component``  a tag such as ``<BarChart data={q} x=segment y=arr_usd/>``;
               a tag with a body (``<DataTable ...>...</DataTable>``) keeps the
               tags inside it as children (``<Column id=.../>``)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass(frozen=True)
class Markdown:
    text: str


@dataclass(frozen=True)
class Query:
    name: str
    sql: str


@dataclass(frozen=True)
class Component:
    name: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    children: tuple[Component, ...] = ()


Block = Markdown | Query | Component


@dataclass(frozen=True)
class Page:
    frontmatter: Mapping[str, Any]
    blocks: tuple[Block, ...]


class PageSyntaxError(ValueError):
    """The page cannot be parsed (for example, its frontmatter is not YAML)."""


_FRONTMATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE_OPEN = re.compile(r"^```[ \t]*(?P<lang>\w*)[ \t]*(?P<name>\S*)[ \t]*$")
_FENCE_CLOSE = re.compile(r"^```[ \t]*$")
_QUERY_NAME = re.compile(r"^[A-Za-z_]\w*$")

_ATTR = r"""[A-Za-z_][\w-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}|[^\s"'{}<>/]+))?"""
_TAG = re.compile(rf"<(?P<name>[A-Z]\w*)(?P<attrs>(?:\s+{_ATTR})*)\s*(?P<self_closing>/?)>")
_ATTR_PARTS = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*)"""
    r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|\{(?P<expr>[^}]*)\}|(?P<bare>[^\s"'{}<>/]+)))?"""
)


def split_frontmatter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML frontmatter between leading ``---`` lines (``{}`` if none) and the body."""
    match = _FRONTMATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as exc:
        raise PageSyntaxError(f"frontmatter is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PageSyntaxError("frontmatter must be a YAML mapping")
    return data, text[match.end() :]


def parse_attributes(text: str) -> dict[str, str]:
    """Attributes of a component tag, values unquoted and ``{expr}`` braces removed.

    A bare attribute (``<DataTable search/>``) has the value ``"true"``.
    """
    attrs = {}
    for match in _ATTR_PARTS.finditer(text):
        values = (match["dq"], match["sq"], match["expr"], match["bare"])
        value = next((v for v in values if v is not None), "true")
        attrs[match["key"]] = value.strip() if match["expr"] is not None else value
    return attrs


def parse_components(text: str) -> tuple[Markdown | Component, ...]:
    """Split prose into markdown and component tags, in order."""
    blocks: list[Markdown | Component] = []
    pos = 0
    while match := _TAG.search(text, pos):
        blocks.append(Markdown(text[pos : match.start()]))
        children: tuple[Component, ...] = ()
        pos = match.end()
        if not match["self_closing"]:
            closing = text.find(f"</{match['name']}>", pos)
            if closing != -1:
                inner = parse_components(text[pos:closing])
                children = tuple(b for b in inner if isinstance(b, Component))
                pos = closing + len(f"</{match['name']}>")
        blocks.append(Component(match["name"], parse_attributes(match["attrs"]), children))
    blocks.append(Markdown(text[pos:]))
    return tuple(b for b in blocks if not (isinstance(b, Markdown) and not b.text.strip()))


def parse_body(body: str) -> tuple[Block, ...]:
    """Blocks of a page body: named SQL fences become queries, the rest prose and tags."""
    blocks: list[Block] = []
    prose: list[str] = []
    lines = iter(body.splitlines())
    for line in lines:
        opening = _FENCE_OPEN.match(line)
        if not opening:
            prose.append(line)
            continue
        fenced = []
        for inner in lines:
            if _FENCE_CLOSE.match(inner):
                break
            fenced.append(inner)
        blocks.extend(parse_components("\n".join(prose)))
        prose = []
        if opening["lang"] == "sql" and _QUERY_NAME.match(opening["name"]):
            blocks.append(Query(opening["name"], "\n".join(fenced).strip()))
        else:
            blocks.append(Markdown("\n".join([line, *fenced, "```"])))
    blocks.extend(parse_components("\n".join(prose)))
    return tuple(blocks)


def parse_page(text: str) -> Page:
    frontmatter, body = split_frontmatter(text)
    return Page(frontmatter, parse_body(body))
