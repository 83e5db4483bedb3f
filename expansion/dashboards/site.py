"""Render the Evidence pages to a static, offline HTML site.

One read-only DuckDB session serves the whole render, so every page shows the
same published version of the marts. Failures never stop the render: each one
becomes a visible error box on its page and an entry in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

import duckdb
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from expansion.dashboards.components import (
    CHARTS,
    SUPPORTED,
    ComponentError,
    HrefFor,
    QueryResult,
    error_box,
    render_component,
)
from expansion.dashboards.markdown import ResolveHref, render_markdown
from expansion.dashboards.parse import Component, Markdown, Page, PageSyntaxError, Query, parse_page
from expansion.dashboards.routes import (
    Route,
    fill_route,
    output_file,
    page_segments,
    relative_href,
    site_path_route,
    template_params,
)
from expansion.dashboards.sql import QueryReferenceError, bind_params, compile_query

SITE_TITLE = "Expansion revenue"
PAGES_QUERY_KEY = "pages_query"
"""Frontmatter key of a templated page: SQL returning one row per page to generate."""
ASSETS = PurePosixPath("assets")
_TEXT_PARAM = re.compile(r"\{\s*params\.(?P<name>\w+)\s*\}")
_HELD_PARAM = re.compile("\ue000(\\w+)\ue001")
_templates = Environment(loader=PackageLoader("expansion.dashboards"), autoescape=True)


@dataclass(frozen=True)
class RenderIssue:
    page: str
    """The page file under ``pages/`` (or the source file under ``sources/``)."""
    query: str | None
    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        where = self.page + "".join(f" [{k}={v}]" for k, v in self.params.items())
        query = f" query {self.query}:" if self.query else ""
        return f"{where}:{query} {self.message}"


@dataclass(frozen=True)
class RenderReport:
    pages: tuple[str, ...]
    """The HTML files written, relative to the output directory."""
    errors: tuple[RenderIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PageInstance:
    """One HTML page to write: a parsed page file with its parameter values."""

    source: str
    page: Page
    params: Mapping[str, str]
    route: Route

    @property
    def title(self) -> str:
        title = str(self.page.frontmatter.get("title") or (self.route or ("Home",))[-1])
        return fill_text_params(title, self.params)


def render_site(
    pages_dir: Path,
    sources_dir: Path,
    serving_db: Path,
    out_dir: Path,
    templated_limit: int = 300,
) -> RenderReport:
    """Render every page under ``pages_dir`` into ``out_dir``.

    Templated pages (``[param].md``) are generated for the first
    ``templated_limit`` rows of their ``pages_query``. Raises if ``serving_db``
    cannot be opened or a directory is missing; every failure of a page, query
    or source is shown on the page and listed in the report instead.
    """
    if templated_limit < 0:
        raise ValueError(f"templated_limit must be 0 or more, not {templated_limit}")
    if not pages_dir.is_dir():
        raise FileNotFoundError(f"no pages directory at {pages_dir}")
    issues: list[RenderIssue] = []
    with serving_session(serving_db) as con:
        issues += create_source_views(con, sources_dir)
        pages = []
        for path in sorted(pages_dir.rglob("*.md")):
            found, page_issues = expand_page(con, pages_dir, path, templated_limit)
            pages += found
            issues += page_issues
        files = {output_file(p.route): p for p in pages}
        written = []
        for target, instance in files.items():
            html, page_issues = render_page(con, instance, files)
            (out_dir / target).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / target).write_text(html, encoding="utf-8")
            written.append(str(target))
            issues += page_issues
    write_assets(out_dir)
    return RenderReport(tuple(written), tuple(issues))


@contextmanager
def serving_session(serving_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory session with ``serving_db`` attached read-only.

    Every table of the file is mirrored as a session view of the same name, so
    source SQL written against the file (``marts.x``) binds in the session, where
    the source views (``serving.x``) can be created; a read-only connection to
    the file itself could not hold them. The file is only read: other readers,
    and a writer that publishes by replacing the file atomically, are unaffected.
    """
    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(serving_db)])
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'warehouse' "
            "union all "
            "select schema_name, view_name from duckdb_views() "
            "where database_name = 'warehouse' and not internal"
        ).fetchall()
        for schema, name in relations:
            con.execute(f"create schema if not exists memory.{_ident(schema)}")
            con.execute(
                f"create view memory.{_ident(schema)}.{_ident(name)} "
                f"as select * from warehouse.{_ident(schema)}.{_ident(name)}"
            )
        yield con
    finally:
        con.close()


def create_source_views(con: duckdb.DuckDBPyConnection, sources_dir: Path) -> list[RenderIssue]:
    """Evidence's source layer: ``sources/<src>/<name>.sql`` becomes the view ``<src>.<name>``."""
    issues = []
    for source in sorted(p for p in sources_dir.iterdir() if p.is_dir()):
        con.execute(f"create schema if not exists memory.{_ident(source.name)}")
        for sql_file in sorted(source.glob("*.sql")):
            view = f"memory.{_ident(source.name)}.{_ident(sql_file.stem)}"
            try:
                con.execute(f"create view {view} as {sql_file.read_text(encoding='utf-8')}")
            except duckdb.Error as exc:
                issues.append(
                    RenderIssue(f"sources/{source.name}/{sql_file.name}", sql_file.stem, str(exc))
                )
    return issues


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def expand_page(
    con: duckdb.DuckDBPyConnection, pages_dir: Path, path: Path, limit: int
) -> tuple[list[PageInstance], list[RenderIssue]]:
    """The pages one file produces: itself, or one per row of its ``pages_query``."""
    source = path.relative_to(pages_dir).as_posix()
    try:
        page = parse_page(path.read_text(encoding="utf-8"))
    except PageSyntaxError as exc:
        return [], [RenderIssue(source, None, str(exc))]
    segments = page_segments(PurePosixPath(source))
    names = template_params(segments)
    if not names:
        return [PageInstance(source, page, {}, segments)], []
    try:
        values = template_values(con, page, names, limit)
        return [PageInstance(source, page, v, fill_route(segments, v)) for v in values], []
    except (duckdb.Error, ValueError) as exc:
        return [], [RenderIssue(source, PAGES_QUERY_KEY, str(exc))]


def template_values(
    con: duckdb.DuckDBPyConnection, page: Page, names: tuple[str, ...], limit: int
) -> list[dict[str, str]]:
    """Parameter values for the first ``limit`` rows of the page's ``pages_query``."""
    sql = page.frontmatter.get(PAGES_QUERY_KEY)
    if not sql:
        raise ValueError(f"a templated page needs `{PAGES_QUERY_KEY}` in its frontmatter")
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    missing = [n for n in names if n not in columns]
    if missing:
        raise ValueError(f"{PAGES_QUERY_KEY} returns no column named {', '.join(missing)}")
    rows = cursor.fetchmany(limit)
    unique = dict.fromkeys(tuple(str(row[columns.index(n)]) for n in names) for row in rows)
    return [dict(zip(names, values, strict=True)) for values in unique]


def fill_text_params(text: str, params: Mapping[str, str]) -> str:
    """Evidence's ``{params.name}`` text expressions, for the page's parameters."""
    return _TEXT_PARAM.sub(lambda m: params.get(m["name"], m[0]), text)


def render_prose(text: str, params: Mapping[str, str], resolve_href: ResolveHref) -> Markup:
    """Markdown with ``{params.name}`` filled in after rendering, so a value is only ever text."""

    def hold(match: re.Match[str]) -> str:
        return f"\ue000{match['name']}\ue001" if match["name"] in params else match[0]

    html = render_markdown(_TEXT_PARAM.sub(hold, text), resolve_href)
    return Markup(_HELD_PARAM.sub(lambda m: str(escape(params[m[1]])), html))


def render_page(
    con: duckdb.DuckDBPyConnection,
    instance: PageInstance,
    files: Mapping[PurePosixPath, PageInstance],
) -> tuple[str, list[RenderIssue]]:
    """The HTML of one page and what went wrong on it."""
    body, issues = render_body(con, instance, frozenset(files))
    here = instance.route
    nav = [
        (p.title, relative_href(here, target), p.route == here)
        for target, p in sorted(files.items(), key=lambda item: item[1].route)
        if not p.params
    ]
    html = _templates.get_template("page.html").render(
        site_title=SITE_TITLE,
        title=instance.title,
        nav=nav,
        body=body,
        assets=relative_href(here, ASSETS),
        has_charts=any(isinstance(b, Component) and b.name in CHARTS for b in instance.page.blocks),
        source=instance.source,
    )
    return html, issues


def render_body(
    con: duckdb.DuckDBPyConnection, instance: PageInstance, files: frozenset[PurePosixPath]
) -> tuple[Markup, list[RenderIssue]]:
    """Run the page's queries in order and render its blocks."""
    compiled: dict[str, str] = {}
    results: dict[str, QueryResult | None] = {}
    html: list[Markup] = []
    issues: list[RenderIssue] = []

    def issue(query: str | None, message: str) -> None:
        issues.append(RenderIssue(instance.source, query, message, instance.params))

    def href_for(site_path: str) -> str | None:
        target = output_file(site_path_route(site_path))
        return relative_href(instance.route, target) if target in files else None

    def link(href: str) -> str:
        internal = href.startswith("/") and not href.startswith("//")
        return (
            relative_href(instance.route, output_file(site_path_route(href))) if internal else href
        )

    for block in instance.page.blocks:
        if isinstance(block, Markdown):
            html.append(render_prose(block.text, instance.params, link))
        elif isinstance(block, Query):
            try:
                compiled[block.name] = compile_query(block.sql, compiled)
                results[block.name] = run_query(con, compiled[block.name], instance.params)
            except (duckdb.Error, QueryReferenceError) as exc:
                results[block.name] = None
                issue(block.name, str(exc))
                html.append(
                    error_box(f"Query {block.name} failed on page {instance.source}", str(exc))
                )
        else:
            try:
                html.append(render_component_block(block, results, href_for))
            except ComponentError as exc:
                issue(block.attrs.get("data"), str(exc))
                html.append(error_box(f"<{block.name}> failed on page {instance.source}", str(exc)))
    return Markup("\n").join(html), issues


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, str]) -> QueryResult:
    bound_sql, values = bind_params(sql, params)
    cursor = con.execute(bound_sql, values)
    return QueryResult(tuple(d[0] for d in cursor.description), cursor.fetchall())


def render_component_block(
    component: Component, results: Mapping[str, QueryResult | None], href_for: HrefFor
) -> Markup:
    """A component drawn from its query's result; raises :class:`ComponentError` if it cannot be.

    A component whose query failed shows a note; the failure is reported once, for the query.
    """
    if component.name not in SUPPORTED:
        supported = ", ".join(sorted(SUPPORTED))
        raise ComponentError(
            f"<{component.name}> is not supported offline (supported: {supported})"
        )
    data = component.attrs.get("data")
    if not data:
        raise ComponentError(f"<{component.name}> needs a data= attribute")
    if data not in results:
        raise ComponentError(f"<{component.name}>: no query named {data} above it on this page")
    result = results[data]
    if result is None:
        return error_box(f"<{component.name}> not drawn", f"its query {data} failed (see above)")
    return render_component(component, result, href_for)


def write_assets(out_dir: Path) -> None:
    """The site's stylesheet, script and its one copy of plotly.js, shared by every page."""
    assets = out_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    for name in ("site.css", "site.js"):
        text = resources.files("expansion.dashboards").joinpath("assets", name).read_text("utf-8")
        (assets / name).write_text(text, encoding="utf-8")
