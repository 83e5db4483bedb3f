"""A small markdown subset, enough for dashboard prose.

Blocks: ``#`` headings (1-6), paragraphs, ``-``/``*`` and ``1.`` lists,
``---`` rules and fenced code. Inline: ``**strong**``, ``*em*``/``_em_``,
```code``` and ``[text](href)``. Everything else is escaped text, raw HTML
included.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

ResolveHref = Callable[[str], str]

_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(?P<text>.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,})\s*$")
_FENCE = re.compile(r"^```")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<!\w)[*_](?P<em>[^*_\s](?:[^*_]*?[^*_\s])?)[*_](?!\w)"
)


def render_inline(text: str, resolve_href: ResolveHref) -> Markup:
    parts: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        parts.append(escape(text[pos : match.start()]))
        if match["code"] is not None:
            parts.append(Markup("<code>{}</code>").format(match["code"]))
        elif match["href"] is not None:
            label = render_inline(match["text"], resolve_href)
            parts.append(Markup('<a href="{}">{}</a>').format(resolve_href(match["href"]), label))
        elif match["strong"] is not None:
            parts.append(
                Markup("<strong>{}</strong>").format(render_inline(match["strong"], resolve_href))
            )
        else:
            parts.append(Markup("<em>{}</em>").format(render_inline(match["em"], resolve_href)))
        pos = match.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def render_markdown(text: str, resolve_href: ResolveHref = str) -> Markup:
    """HTML for ``text``; ``resolve_href`` maps each link target (e.g. site paths to files)."""
    html: list[Markup] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif _FENCE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if _FENCE.match(lines[j])), len(lines))
            html.append(Markup("<pre><code>{}</code></pre>").format("\n".join(lines[i + 1 : end])))
            i = end + 1
        elif heading := _HEADING.match(line):
            level = len(heading["level"])
            content = render_inline(heading["text"], resolve_href)
            html.append(Markup("<h{0}>{1}</h{0}>").format(level, content))
            i += 1
        elif _RULE.match(line):
            html.append(Markup("<hr>"))
            i += 1
        elif _BULLET.match(line) or _NUMBERED.match(line):
            pattern, tag = (_BULLET, "ul") if _BULLET.match(line) else (_NUMBERED, "ol")
            items = []
            while i < len(lines) and (item := pattern.match(lines[i])):
                items.append(
                    Markup("<li>{}</li>").format(render_inline(item["text"], resolve_href))
                )
                i += 1
            html.append(Markup("<{0}>{1}</{0}>").format(tag, Markup("").join(items)))
        else:
            paragraph = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                paragraph.append(lines[i].strip())
                i += 1
            html.append(
                Markup("<p>{}</p>").format(render_inline(" ".join(paragraph), resolve_href))
            )
    return Markup("\n").join(html)


def _starts_block(line: str) -> bool:
    return any(p.match(line) for p in (_HEADING, _BULLET, _NUMBERED, _RULE, _FENCE))
