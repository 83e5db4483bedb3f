"""Render the Evidence pages to a static, offline HTML site.

One read-only DuckDB session serves the whole render, so every page shows the
same published version of the marts. Failures never stop the render: each one
becomes a visible error box on its page and an entry in the report.

A templated page (``[param].md``) is written once per row of its
``pages_query``: the first ``templated_limit`` as pages of their own, the rest
as one shell page (``<route of the template>/index.html``, e.g.
``accounts/[account_id]/index.html``) that loads a page's content from
``data/<value>.js`` beside it when opened as ``...#<value>``. The template's
queries run once per batch of its pages (see ``sql.batched_sql``), and with
``workers`` above one, its batches are shared among that many processes, each
with its own read-only session (``expansion.dashboards.worker``).
"""

from __future__ import annotations

import itertools
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath

import duckdb
import yaml
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from expansion.dashboards.components import (
    CHARTS,
    SUPPORTED,
    ComponentError,
    Context,
    InputFilter,
    QueryResult,
    dropdown,
    error_box,
    json_text,
    render_component,
)
from expansion.dashboards.formats import format_value
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
from expansion.dashboards.sql import (
    PAGE_COLUMN,
    PAGES_TABLE,
    QueryReferenceError,
    batch_result_table,
    batch_rows_sql,
    batched_sql,
    bind_params,
    compile_query,
    input_uses,
    param_column,
    query_references,
    quoted_identifier,
    uses_params,
    without_inputs,
)
from expansion.dashboards.theme import Theme, load_theme

SITE_TITLE = "Expansion revenue"
PAGES_QUERY_KEY = "pages_query"
"""Frontmatter key of a templated page: SQL returning one row per page to generate."""
DEFAULT_TEMPLATED_LIMIT = 2000
"""Pages of their own per templated page; rows beyond load on demand in one shell page."""
BATCH_PAGES = 1000
"""The fewest templated pages whose queries run together (see :func:`batch_size`)."""
MOST_BATCHES = 16
"""A templated page's batches at most (see :func:`batch_size`)."""
SHARE_REQUEST, SHARE_REPORT, SHARE_OUTPUT = "request.pickle", "report.pickle", "output.log"
"""A share process's files in its scratch directory: what to render, what it did, its output."""
ASSETS = PurePosixPath("assets")
ON_DEMAND_DATA = "data"
_TEXT_PARAM = re.compile(r"\{\s*params\.(?P<name>\w+)\s*\}")
_TEXT_VALUE = re.compile(r"\{\s*(?P<query>[A-Za-z_]\w*)\[0\]\.(?P<column>\w+)\s*\}")
_HELD = re.compile("\ue000(\\d+)\ue001")
_LINK_TARGET = re.compile(r"\]\((?P<href>[^)\s]+)\)")
"""Every link target render_markdown can read (its ``[text](target)``: a target holds no
``)``, so two never overlap and none is missed)."""
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
    on_demand: tuple[str, ...] = ()
    """The data files of pages that load on demand, relative to the output directory."""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PageFile:
    """One page file under ``pages/`` and the pages it produces."""

    source: str
    page: Page
    segments: Route
    instances: tuple[Mapping[str, str], ...]
    """Parameter values of each page (one empty mapping for a plain page)."""
    static_count: int
    """How many of ``instances`` get a page of their own; the rest load on demand."""

    @property
    def names(self) -> tuple[str, ...]:
        return template_params(self.segments)

    @property
    def shell_route(self) -> Route:
        return self.segments

    @property
    def nav_position(self) -> tuple[float, str]:
        position = self.page.frontmatter.get("sidebar_position")
        return (float(position) if position is not None else float("inf"), self.source)


@dataclass(frozen=True)
class SiteMap:
    """Where each site path is written: its own page, or a shell and a data file."""

    static: Mapping[PurePosixPath, str]
    """Output file -> nav title, for every page of its own."""
    on_demand: Mapping[Route, tuple[Route, str]]
    """Route of a page that loads on demand -> (shell route, its data key)."""

    def href(self, here: Route, site_path: str) -> str | None:
        route = site_path_route(site_path)
        target = output_file(route)
        if target in self.static:
            return relative_href(here, target)
        if route in self.on_demand:
            shell, key = self.on_demand[route]
            return relative_href(here, output_file(shell)) + "#" + key
        return None


@dataclass(frozen=True)
class SiteJob:
    """What a render needs: where the pages, sources and serving file are, and where the
    site goes; a process rendering a share of a template reads the same job."""

    pages_dir: Path
    sources_dir: Path
    serving_db: Path
    out_dir: Path
    templated_limit: int = DEFAULT_TEMPLATED_LIMIT
    config: Path | None = None
    batch_pages: int = BATCH_PAGES

    @property
    def theme_file(self) -> Path:
        return self.config or self.pages_dir.parent / "evidence.config.yaml"


@dataclass
class SiteDraft:
    """A session's view of the site: its page files, map and navigation, and what failed
    before any page was drawn."""

    files: list[PageFile]
    site: SiteMap
    nav: list[tuple[str, Route]]
    theme: Theme
    issues: list[RenderIssue]


def render_site(
    pages_dir: Path,
    sources_dir: Path,
    serving_db: Path,
    out_dir: Path,
    templated_limit: int = DEFAULT_TEMPLATED_LIMIT,
    config: Path | None = None,
    workers: int = 1,
) -> RenderReport:
    """Render every page under ``pages_dir`` into ``out_dir``.

    ``config`` is the project's ``evidence.config.yaml`` (default: beside
    ``pages_dir``), read for its theme colours. ``workers`` processes share the
    batches of a templated page (the site is the same with any number). Raises if
    ``serving_db`` cannot be opened, a directory is missing or a worker process
    fails; every failure of a page, query or source is shown on the page and
    listed in the report instead.
    """
    if templated_limit < 0:
        raise ValueError(f"templated_limit must be 0 or more, not {templated_limit}")
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}")
    if not pages_dir.is_dir():
        raise FileNotFoundError(f"no pages directory at {pages_dir}")
    job = SiteJob(pages_dir, sources_dir, serving_db, out_dir, templated_limit, config, BATCH_PAGES)
    written: list[str] = []
    data_files: list[str] = []
    with serving_session(serving_db) as con:
        draft = draft_site(con, job)
        issues = draft.issues
        for page_file in draft.files:
            pages = len(page_file.instances)
            first, *others = page_shares(pages, batch_size(pages, job.batch_pages), workers)
            helpers = [start_share(job, page_file.source, share) for share in others]
            report = render_share(con, job, draft, page_file, first)
            for result in [report, *(finish_share(helper) for helper in helpers)]:
                written += result.pages
                data_files += result.on_demand
                issues += result.errors
    write_assets(out_dir)
    return RenderReport(tuple(written), tuple(issues), tuple(data_files))


def draft_site(con: duckdb.DuckDBPyConnection, job: SiteJob) -> SiteDraft:
    """Read the sources and every page file (running the templates' ``pages_query``)."""
    issues = create_source_views(con, job.sources_dir)
    files = []
    for path in sorted(job.pages_dir.rglob("*.md")):
        found, page_issues = read_page_file(con, job.pages_dir, path, job.templated_limit)
        files += found
        issues += page_issues
    return SiteDraft(files, site_map(files), navigation(files), load_theme(job.theme_file), issues)


def batch_size(pages: int, fewest: int = BATCH_PAGES) -> int:
    """How many of a page file's ``pages`` run their queries together.

    ``fewest`` bounds the number of batches of a small book; beyond
    ``fewest * MOST_BATCHES`` pages the batches grow instead: every batch scans the
    tables its queries read (a join to the whole history), so their number, not their
    size, is what costs (at 100,000 accounts: 16 batches of ~5,800 pages, not 93 of 1,000).
    """
    return max(fewest, -(-pages // MOST_BATCHES))


def page_shares(pages: int, batch_pages: int, workers: int) -> list[range]:
    """The pages of a page file split into at most ``workers`` runs of whole batches,
    the first for this process (a page file of one batch is never split)."""
    batches = max(1, -(-pages // batch_pages))
    shares = min(workers, batches)
    bounds = [batches * i // shares * batch_pages for i in range(shares)] + [pages]
    return [range(start, stop) for start, stop in itertools.pairwise(bounds)]


@dataclass(frozen=True)
class ShareProcess:
    """A process rendering a share of a page file's pages (``expansion.dashboards.worker``)."""

    process: subprocess.Popen
    scratch: Path
    """Holds the request, the report and the process's output."""
    what: str


def start_share(job: SiteJob, source: str, share: range) -> ShareProcess:
    """Start rendering the pages ``share`` of the page file ``source`` in another process."""
    scratch = Path(tempfile.mkdtemp(prefix="render-share-"))
    (scratch / SHARE_REQUEST).write_bytes(pickle.dumps((job, source, share)))
    with (scratch / SHARE_OUTPUT).open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "expansion.dashboards.worker", str(scratch)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return ShareProcess(process, scratch, f"pages {share.start}-{share.stop - 1} of {source}")


def finish_share(share: ShareProcess) -> RenderReport:
    """Wait for a share's process and read its report; raises if it failed."""
    try:
        if share.process.wait() != 0:
            output = (share.scratch / SHARE_OUTPUT).read_text(errors="replace")[-4000:]
            raise RuntimeError(
                f"rendering {share.what} failed (exit {share.process.returncode}):\n{output}"
            )
        return pickle.loads((share.scratch / SHARE_REPORT).read_bytes())
    finally:
        shutil.rmtree(share.scratch, ignore_errors=True)


def render_share(
    con: duckdb.DuckDBPyConnection,
    job: SiteJob,
    draft: SiteDraft,
    page_file: PageFile,
    share: range,
) -> RenderReport:
    """Write the pages ``share`` of ``page_file`` (and its shell page, with the last share)."""
    pages = batch_size(len(page_file.instances), job.batch_pages)
    renderer = PageRenderer(con, page_file, draft.site, draft.nav, draft.theme, pages)
    written: list[str] = []
    data_files: list[str] = []
    for kind, target, text in renderer.render(share):
        (job.out_dir / target).parent.mkdir(parents=True, exist_ok=True)
        (job.out_dir / target).write_text(text, encoding="utf-8")
        (written if kind == "page" else data_files).append(str(target))
    return RenderReport(tuple(written), tuple(renderer.issues), tuple(data_files))


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
            con.execute(f"create schema if not exists memory.{quoted_identifier(schema)}")
            con.execute(
                f"create view memory.{quoted_identifier(schema)}.{quoted_identifier(name)} "
                f"as select * from warehouse.{quoted_identifier(schema)}.{quoted_identifier(name)}"
            )
        yield con
    finally:
        con.close()


def create_source_views(con: duckdb.DuckDBPyConnection, sources_dir: Path) -> list[RenderIssue]:
    """Evidence's source layer: ``sources/<src>/<name>.sql`` becomes the view ``<src>.<name>``;
    in a source whose ``connection.yaml`` says ``type: csv``, ``<name>.csv`` does."""
    issues = []
    for source in sorted(p for p in sources_dir.iterdir() if p.is_dir()):
        con.execute(f"create schema if not exists memory.{quoted_identifier(source.name)}")
        connection = source / "connection.yaml"
        kind = (
            (yaml.safe_load(connection.read_text()) or {}).get("type")
            if connection.exists()
            else None
        )
        pattern = "*.csv" if kind == "csv" else "*.sql"
        for file in sorted(source.glob(pattern)):
            view = f"memory.{quoted_identifier(source.name)}.{quoted_identifier(file.stem)}"
            try:
                if kind == "csv":
                    path = str(file.resolve()).replace("'", "''")
                    con.execute(
                        f"create view {view} as select * from read_csv('{path}', header = true)"
                    )
                else:
                    con.execute(f"create view {view} as {file.read_text(encoding='utf-8')}")
            except duckdb.Error as exc:
                issues.append(
                    RenderIssue(f"sources/{source.name}/{file.name}", file.stem, str(exc))
                )
    return issues


def read_page_file(
    con: duckdb.DuckDBPyConnection, pages_dir: Path, path: Path, limit: int
) -> tuple[list[PageFile], list[RenderIssue]]:
    """A page file and its pages: itself, or one per row of its ``pages_query``."""
    source = path.relative_to(pages_dir).as_posix()
    try:
        page = parse_page(path.read_text(encoding="utf-8"))
    except PageSyntaxError as exc:
        return [], [RenderIssue(source, None, str(exc))]
    segments = page_segments(PurePosixPath(source))
    names = template_params(segments)
    if not names:
        return [PageFile(source, page, segments, ({},), 1)], []
    try:
        values = template_values(con, page, names)
    except (duckdb.Error, ValueError) as exc:
        return [], [RenderIssue(source, PAGES_QUERY_KEY, str(exc))]
    if len(values) > limit and len(names) != 1:
        message = "pages beyond templated_limit load on demand, which needs one [param]"
        return [], [RenderIssue(source, PAGES_QUERY_KEY, message)]
    return [PageFile(source, page, segments, tuple(values), min(limit, len(values)))], []


def template_values(
    con: duckdb.DuckDBPyConnection, page: Page, names: tuple[str, ...]
) -> list[dict[str, str]]:
    """Parameter values for every row of the page's ``pages_query``, in its order."""
    sql = page.frontmatter.get(PAGES_QUERY_KEY)
    if not sql:
        raise ValueError(f"a templated page needs `{PAGES_QUERY_KEY}` in its frontmatter")
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    missing = [n for n in names if n not in columns]
    if missing:
        raise ValueError(f"{PAGES_QUERY_KEY} returns no column named {', '.join(missing)}")
    rows = cursor.fetchall()
    unique = dict.fromkeys(tuple(str(row[columns.index(n)]) for n in names) for row in rows)
    return [dict(zip(names, values, strict=True)) for values in unique]


def site_map(files: Sequence[PageFile]) -> SiteMap:
    static: dict[PurePosixPath, str] = {}
    on_demand: dict[Route, tuple[Route, str]] = {}
    for page_file in files:
        for i, params in enumerate(page_file.instances):
            route = fill_route(page_file.segments, params)
            if i < page_file.static_count:
                static[output_file(route)] = page_title(page_file.page, params)
            else:
                on_demand[route] = (page_file.shell_route, route[-1])
        if page_file.static_count < len(page_file.instances):
            static[output_file(page_file.shell_route)] = page_title(page_file.page, {})
    return SiteMap(static, on_demand)


def navigation(files: Sequence[PageFile]) -> list[tuple[str, Route]]:
    """Plain pages in ``sidebar_position`` order (then by file), as Evidence's sidebar."""
    plain = sorted((f for f in files if not f.names), key=lambda f: f.nav_position)
    return [(page_title(f.page, {}), f.segments) for f in plain]


def page_title(page: Page, params: Mapping[str, str]) -> str:
    title = str(page.frontmatter.get("title") or "Home")
    return _TEXT_PARAM.sub(lambda m: params.get(m["name"], m[0]), title)


def text_values(
    text: str, params: Mapping[str, str], results: Mapping[str, QueryResult | None]
) -> list[str]:
    """The values of ``{params.x}`` and ``{query[0].column}`` expressions, in order."""
    values = []
    for match in re.finditer(f"{_TEXT_PARAM.pattern}|{_TEXT_VALUE.pattern}", text):
        if match["name"] is not None:
            values.append(params.get(match["name"], match[0]))
            continue
        result = results.get(match["query"])
        if result is None or not result.rows or match["column"] not in result.columns:
            values.append(format_value(None))
        else:
            values.append(format_value(result.rows[0][result.index(match["column"])]))
    return values


def fill_text(text: str, params: Mapping[str, str], results: Mapping) -> str:
    values = iter(text_values(text, params, results))
    return re.sub(f"{_TEXT_PARAM.pattern}|{_TEXT_VALUE.pattern}", lambda m: next(values), text)


def render_prose(
    text: str, params: Mapping[str, str], results: Mapping, resolve_href: ResolveHref
) -> Markup:
    """Markdown with text expressions filled in after rendering, so a value is only ever text."""
    values = text_values(text, params, results)
    counter = iter(range(len(values)))
    held = re.sub(
        f"{_TEXT_PARAM.pattern}|{_TEXT_VALUE.pattern}",
        lambda m: f"\ue000{next(counter)}\ue001",
        text,
    )
    links = tuple((target, resolve_href(target)) for target in _LINK_TARGET.findall(held))
    html = _markdown_with_links(held, links)
    return Markup(_HELD.sub(lambda m: str(escape(values[int(m[1])])), html))


@lru_cache(maxsize=4096)
def _markdown_with_links(text: str, links: tuple[tuple[str, str], ...]) -> Markup:
    """The markdown of a prose block whose values are held out, rendered once for all the
    pages of a template that link where this one does (every page's prose is the same
    text until its values are filled in)."""
    return render_markdown(text, dict(links).__getitem__)


def load_pages_table(
    con: duckdb.DuckDBPyConnection, names: tuple[str, ...], chunk: Sequence[Mapping[str, str]]
) -> None:
    """``__pages``: one row per page of ``chunk``, its position and its parameters, which
    the batched queries (:func:`batched_sql`) join laterally."""
    columns = ", ".join(f"{quoted_identifier(param_column(n))} varchar" for n in names)
    con.execute(f"create or replace temp table {PAGES_TABLE} ({PAGE_COLUMN} integer, {columns})")
    con.executemany(
        f"insert into {PAGES_TABLE} values (?{', ?' * len(names)})",
        [[i, *(params[n] for n in names)] for i, params in enumerate(chunk)],
    )


class PageRenderer:
    """Runs one page file's queries (once for all its pages) and writes its pages."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        page_file: PageFile,
        site: SiteMap,
        nav: list[tuple[str, Route]],
        theme: Theme,
        batch_pages: int = BATCH_PAGES,
    ) -> None:
        self.con, self.file, self.site, self.nav, self.theme = con, page_file, site, nav, theme
        self.batch_pages = batch_pages
        self.issues: list[RenderIssue] = []
        self.filters: dict[str, tuple[InputFilter, ...]] = {}

    def render(self, share: range | None = None) -> Iterator[tuple[str, PurePosixPath, str]]:
        """("page" | "data", output path, text) for every file of the pages ``share``
        (default: all) of this page file, and its shell page if ``share`` ends with the last."""
        instances = self.file.instances
        share = range(len(instances)) if share is None else share
        for start in range(share.start, share.stop, self.batch_pages):
            chunk = instances[start : min(start + self.batch_pages, share.stop)]
            for offset, (params, (results, errors)) in enumerate(
                zip(chunk, self.run_queries(chunk), strict=True)
            ):
                route = fill_route(self.file.segments, params)
                body, title = self.render_body(route, params, results, errors)
                if start + offset < self.file.static_count:
                    yield "page", output_file(route), self.html(route, title, body)
                else:
                    data = output_file(self.file.shell_route).parent / ON_DEMAND_DATA
                    yield "data", data / f"{route[-1]}.js", on_demand_script(title, body)
        if self.file.static_count < len(instances) and share.stop == len(instances):
            shell = self.file.shell_route
            body = Markup(
                '<div id="on-demand"><p class="empty">Loading the page named in the address '
                "(after #)…</p></div>"
            )
            yield "page", output_file(shell), self.html(shell, "Loading", body)

    def run_queries(
        self, chunk: Sequence[Mapping[str, str]]
    ) -> list[tuple[dict[str, QueryResult | None], dict[str, str]]]:
        """Per page of ``chunk``: each query's result (None if it failed) and its errors."""
        per_page: list[tuple[dict, dict]] = [({}, {}) for _ in chunk]
        queries = [block for block in self.file.page.blocks if isinstance(block, Query)]
        referenced = set().union(*(query_references(query.sql) for query in queries))
        # Each query with the queries it names inlined, as one page runs it; and as a batch
        # runs it, reading a page query it names from the batch's kept result of that query.
        one_page: dict[str, str] = {}
        in_batch: dict[str, str] = {}
        if self.file.names:
            load_pages_table(self.con, self.file.names, chunk)
        for block in queries:
            try:
                one_page[block.name] = compile_query(block.sql, one_page)
                in_batch[block.name] = one_page[block.name]
                uses = input_uses(one_page[block.name])
                self.filters[block.name] = tuple(InputFilter(u.input_name, u.column) for u in uses)
                results, kept_as = self._execute(
                    without_inputs(one_page[block.name]),
                    without_inputs(compile_query(block.sql, in_batch)),
                    chunk,
                    batch_result_table(block.name) if block.name in referenced else None,
                )
                if kept_as is not None:
                    in_batch[block.name] = batch_rows_sql(kept_as)
            except (duckdb.Error, QueryReferenceError) as exc:
                results = [exc] * len(chunk)
            for (page_results, page_errors), result in zip(per_page, results, strict=True):
                if isinstance(result, Exception):
                    page_results[block.name] = None
                    page_errors[block.name] = str(result)
                else:
                    page_results[block.name] = result
        for name in referenced & set(one_page):
            self.con.execute(f"drop table if exists {batch_result_table(name)}")
        return per_page

    def _execute(
        self,
        sql: str,
        batch_sql: str,
        chunk: Sequence[Mapping[str, str]],
        keep_as: str | None,
    ) -> tuple[list[QueryResult | Exception], str | None]:
        """Each page's result of ``sql``, and the table that holds the batch's result if it
        was run as a batch (``batch_sql``) and kept (``keep_as``) for the queries after it."""
        if not uses_params(sql):
            cursor = self.con.execute(sql)
            result = QueryResult(tuple(d[0] for d in cursor.description), cursor.fetchall())
            return [result] * len(chunk), None
        batched = batched_sql(self.con, batch_sql, self.file.names) if len(chunk) > 1 else None
        if batched is not None:
            try:
                if keep_as is not None:
                    self.con.execute(f"create or replace temp table {keep_as} as {batched}")
                cursor = self.con.execute(f"select * from {keep_as}" if keep_as else batched)
            except duckdb.Error:
                cursor = None
            if cursor is not None:
                columns = tuple(d[0] for d in cursor.description)[1:]
                rows: list[list[tuple]] = [[] for _ in chunk]
                for row in cursor.fetchall():
                    rows[row[0]].append(row[1:])
                return [QueryResult(columns, page_rows) for page_rows in rows], keep_as
        results: list[QueryResult | Exception] = []
        for params in chunk:
            try:
                bound_sql, values = bind_params(sql, params)
                cursor = self.con.execute(bound_sql, values)
                results.append(
                    QueryResult(tuple(d[0] for d in cursor.description), cursor.fetchall())
                )
            except (duckdb.Error, QueryReferenceError) as exc:
                results.append(exc)
        return results, None

    def render_body(
        self,
        route: Route,
        params: Mapping[str, str],
        results: Mapping[str, QueryResult | None],
        errors: Mapping[str, str],
    ) -> tuple[Markup, str]:
        """The HTML of the page's blocks, and its title, with what went wrong reported."""
        html: list[Markup] = []
        source = self.file.source

        def issue(query: str | None, message: str) -> None:
            self.issues.append(RenderIssue(source, query, message, params))

        def link(href: str) -> str:
            internal = href.startswith("/") and not href.startswith("//")
            if not internal:
                return href
            return self.site.href(route, href) or relative_href(
                route, output_file(site_path_route(href))
            )

        context = Context(
            href_for=lambda path: self.site.href(route, path),
            theme=self.theme,
            results=results,
            filters=self.filters,
        )
        for block in self.file.page.blocks:
            if isinstance(block, Markdown):
                html.append(render_prose(block.text, params, results, link))
            elif isinstance(block, Query):
                if block.name in errors:
                    issue(block.name, errors[block.name])
                    html.append(
                        error_box(f"Query {block.name} failed on page {source}", errors[block.name])
                    )
            else:
                try:
                    html.append(render_component_block(block, results, context))
                except (ComponentError, ValueError) as exc:
                    issue(block.attrs.get("data"), str(exc))
                    html.append(error_box(f"<{block.name}> failed on page {source}", str(exc)))
        title = fill_text(str(self.file.page.frontmatter.get("title") or "Home"), params, results)
        return Markup("\n").join(html), title

    def html(self, route: Route, title: str, body: Markup) -> str:
        nav = [
            (label, relative_href(route, output_file(target)), target == route)
            for label, target in self.nav
        ]
        return _templates.get_template("page.html").render(
            site_title=SITE_TITLE,
            title=title,
            nav=nav,
            body=body,
            assets=relative_href(route, ASSETS),
            has_charts=self.file.names != ()
            or any(isinstance(b, Component) and b.name in CHARTS for b in self.file.page.blocks),
            source=self.file.source,
        )


def on_demand_script(title: str, body: Markup) -> str:
    """A page's content as a script that hands it to the shell page (works from file://)."""
    return f"window.showOnDemandPage({json_text({'title': title, 'body': str(body)})});\n"


def render_component_block(
    component: Component, results: Mapping[str, QueryResult | None], context: Context
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
    if component.name == "Dropdown" and not data:
        return dropdown(component, None)
    if not data:
        raise ComponentError(f"<{component.name}> needs a data= attribute")
    if data not in results:
        raise ComponentError(f"<{component.name}>: no query named {data} above it on this page")
    result = results[data]
    if result is None:
        return error_box(f"<{component.name}> not drawn", f"its query {data} failed (see above)")
    for input_filter in context.filters.get(data, ()):
        result.index(input_filter.column)
    return render_component(component, result, context)


def write_assets(out_dir: Path) -> None:
    """The site's stylesheet, script and its one copy of plotly.js, shared by every page."""
    assets = out_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    for name in ("site.css", "site.js"):
        text = resources.files("expansion.dashboards").joinpath("assets", name).read_text("utf-8")
        (assets / name).write_text(text, encoding="utf-8")
