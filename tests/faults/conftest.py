"""The fault-injection suite (issue 19): shared companies and helpers.

Two generated companies, each made once per test session:

- ``tiny_landing``: 6 accounts x 5 days without planted defects (0.2 MB, made in
  a fraction of a second), for the bad-input corpus and the component-level
  faults, which run ingestion or publishing directly;
- ``small_company``: 150 accounts x 100 days (seed 11, ending 2026-03-01), the
  smallest company found that raises alerts on more than one night and has a
  one-account Enterprise NRR cohort above 3 (issue 19, point 5). Only the tests
  whose point is the nightly job itself run ``expansion refresh`` on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from expansion.alerts import WEBHOOK_URL_ENV
from expansion.contract import SOURCES
from expansion.generator import GeneratorConfig, generate
from expansion.ingest import RawZone, attach_raw_zone, ingest_landing_zone
from expansion.processes import live_children
from expansion.refresh_lock import LOCK_FILE_NAME
from expansion.settings import DBT_EXECUTABLE, PROJECT_ROOT

TINY = GeneratorConfig(accounts=6, days=5, seed=3, end_date=dt.date(2026, 3, 1), defect_rate=0)
SMALL = GeneratorConfig(accounts=150, days=100, seed=11, end_date=dt.date(2026, 3, 1))
DAILY_SOURCES = tuple(source.name for source in SOURCES if source.daily)


@pytest.fixture(scope="session")
def tiny_landing(tmp_path_factory) -> Path:
    """A pristine tiny landing zone; copy it (``landing_copy``) before changing it."""
    landing = tmp_path_factory.mktemp("tiny") / "landing"
    generate(dataclasses.replace(TINY, out=landing, truth_out=landing.with_name("truth")))
    return landing


@pytest.fixture
def landing_copy(tiny_landing, tmp_path) -> Path:
    """A private copy of the tiny landing zone (modification times kept, so the copy
    matches ``tiny_raw_zone``'s ledger)."""
    landing = tmp_path / "landing"
    shutil.copytree(tiny_landing, landing)
    return landing


@pytest.fixture(scope="session")
def tiny_raw_zone(tiny_landing, tmp_path_factory) -> RawZone:
    """The tiny landing zone ingested into a raw zone; copy it before changing it."""
    zone = RawZone(tmp_path_factory.mktemp("tiny_data") / "raw")
    results = ingest_landing_zone(zone, tiny_landing)
    assert [r for r in results if r.refusals or r.rows_rejected] == []
    return zone


@pytest.fixture
def zone(tiny_raw_zone, tmp_path) -> RawZone:
    """A private copy of ``tiny_raw_zone``."""
    copy = RawZone(tmp_path / "data" / "raw")
    shutil.copytree(tiny_raw_zone.root, copy.root)
    return copy


def raw_reader(zone: RawZone) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB reading the zone as it is at each query (``raw.<source>``...)."""
    con = duckdb.connect()
    attach_raw_zone(con, zone)
    return con


@pytest.fixture
def raw(zone) -> duckdb.DuckDBPyConnection:
    con = raw_reader(zone)
    yield con
    con.close()


def raw_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every ``raw.<source>`` without its load time, sorted."""
    return {
        source.name: sorted(
            con.execute(f"select * exclude (_loaded_at) from {source.raw_table}").fetchall()
        )
        for source in SOURCES
    }


def accounting_gaps(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Sources where rows went missing without a message: for every loaded file version,
    its rows are loaded or rejected, and ``raw.<source>`` holds exactly the loaded ones."""
    gaps = con.execute(
        """
        select source_file, 'rows_in_file <> rows_loaded + rows_rejected'
        from raw._load_ledger
        where status = 'loaded' and rows_in_file <> rows_loaded + rows_rejected
        """
    ).fetchall()
    for source in SOURCES:
        loaded = con.execute(
            "select coalesce(sum(rows_loaded), 0) from raw._load_ledger"
            " where source = ? and status = 'loaded'",
            [source.name],
        ).fetchone()[0]
        present = con.execute(f"select count(*) from {source.raw_table}").fetchone()[0]
        if loaded != present:
            gaps.append((source.name, f"ledger says {loaded} rows loaded, raw holds {present}"))
    return gaps


@dataclass(frozen=True)
class WarehouseFacts:
    """What the tests compare about a raw zone (fixtures cannot be imported as modules)."""

    snapshot: Callable[[duckdb.DuckDBPyConnection], dict[str, list[tuple]]] = raw_snapshot
    gaps: Callable[[duckdb.DuckDBPyConnection], list[tuple]] = accounting_gaps
    reader: Callable[[RawZone], duckdb.DuckDBPyConnection] = raw_reader


@pytest.fixture(scope="session")
def facts() -> WarehouseFacts:
    return WarehouseFacts()


# --- the small company, through the real command line -----------------------------------


@dataclass(frozen=True)
class Cli:
    """Runs ``expansion`` in a subprocess, as a scheduler would."""

    dagster_home: Path
    webhook_url: str

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            WEBHOOK_URL_ENV: self.webhook_url,
            **extra,
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "expansion.cli", *args]

    def refresh_args(self, landing: Path, data_dir: Path, *extra: str) -> list[str]:
        return self.command(
            "refresh", "--landing", str(landing), "--data-dir", str(data_dir), *extra
        )

    def run(self, args: list[str], **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, capture_output=True, text=True, cwd=PROJECT_ROOT, env=self.env(**env)
        )

    def start(self, args: list[str], **env: str) -> subprocess.Popen:
        """Start without waiting, in a process group of its own (as a scheduler does)."""
        return subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=PROJECT_ROOT,
            env=self.env(**env),
            start_new_session=True,
        )


@pytest.fixture(scope="session")
def cli(tmp_path_factory, session_webhook) -> Cli:
    home = tmp_path_factory.mktemp("faults_dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return Cli(dagster_home=home, webhook_url=session_webhook.url)


@pytest.fixture(scope="session")
def small_company_landing(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("small") / "landing"
    generate(dataclasses.replace(SMALL, out=landing, truth_out=landing.with_name("truth")))
    return landing


def hold_back_after(landing: Path, holding: Path, day: dt.date) -> None:
    """Move the daily files dated after ``day`` out of the landing zone (the later nights)."""
    for source in DAILY_SOURCES:
        for path in sorted((landing / source).glob("*.csv")):
            if dt.date.fromisoformat(path.stem) > day:
                target = holding / source / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)


def drop_files(holding: Path, landing: Path) -> None:
    """Drop the held-back files into the landing zone (the next night's delivery)."""
    for path in sorted(holding.rglob("*.csv")):
        shutil.move(path, landing / path.relative_to(holding))


def query(database: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def outbox(data_dir: Path) -> list[tuple]:
    """``(dedupe_key, status, attempts, last_error)`` of every alert, by key."""
    return query(
        data_dir / "warehouse.duckdb",
        "select dedupe_key, status, attempts, last_error from alerts.outbox order by dedupe_key",
    )


def published_marts(serving: Path) -> dict[str, list[tuple]]:
    """Every published table's rows, sorted, but the two that record the run itself."""
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
                " and table_name not in ('serving_publication', 'check_results')"
            ).fetchall()
        ]
        return {t: sorted(con.execute(f'select * from marts."{t}"').fetchall()) for t in tables}


NIGHT_1 = dt.date(2026, 2, 25)
HEADER_ONLY = "usage_daily/2026-02-20.csv"
SEMICOLON_RESEND = "usage_daily/2026-02-26_resend.csv"
DANGLING_LINK = "crm_activities/2026-03-02.csv"
DIRECTORY = "support_tickets/archive.csv"
MISSING_FOLDER = "cs_costs"


def break_the_landing_zone(landing: Path) -> None:
    """Night 2's faults; none of them changes what the night computes."""
    usage = landing / HEADER_ONLY
    usage.write_text(usage.read_text().splitlines()[0] + "\n")
    day = (landing / "usage_daily" / "2026-02-26.csv").read_text()
    (landing / SEMICOLON_RESEND).write_text(day.replace(",", ";"))
    (landing / DANGLING_LINK).symlink_to(landing / "exports" / "crm_2026-03-02.csv")
    (landing / DIRECTORY).mkdir()
    shutil.rmtree(landing / MISSING_FOLDER)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str = ""
    posts: list[str] = field(default_factory=list)
    """What the webhook received during the run."""
    outbox: list[tuple] = field(default_factory=list)
    seconds: float = 0.0
    """How long the command took (the second refresh must give up at once)."""


@dataclass
class TwoNights:
    NIGHT_1: ClassVar[dt.date] = NIGHT_1
    NIGHT_2: ClassVar[dt.date] = SMALL.end_date
    HEADER_ONLY: ClassVar[str] = HEADER_ONLY
    SEMICOLON_RESEND: ClassVar[str] = SEMICOLON_RESEND
    DANGLING_LINK: ClassVar[str] = DANGLING_LINK
    DIRECTORY: ClassVar[str] = DIRECTORY
    MISSING_FOLDER: ClassVar[str] = MISSING_FOLDER

    landing: Path
    data_dir: Path
    night_1: Run
    serving_after_night_1: bytes
    stopped: Run
    """Night 2, stopped with SIGTERM while dbt builds."""
    dbt_of_the_stopped_run: set[int]
    dbt_left_by_the_stopped_run: set[int]
    serving_after_stop: bytes
    night_2: Run
    second_refresh: Run
    first_pid: int
    reader_errors: list[str]
    reader_saw: set
    """The publications (published_at, as_of_date) the open reader saw during night 2."""
    published_night_2: dict[str, list[tuple]]
    rerun: Run
    published_rerun: dict[str, list[tuple]]


def _run(cli: Cli, webhook, args: list[str]) -> Run:
    before = len(webhook.received)
    started = time.monotonic()
    done = cli.run(args)
    return Run(
        done.returncode,
        done.stdout,
        done.stderr,
        [m["text"] for m in webhook.received[before:]],
        seconds=time.monotonic() - started,
    )


def _lock_holder_pid(data_dir: Path) -> int | None:
    try:
        return json.loads((data_dir / LOCK_FILE_NAME).read_text()).get("pid")
    except (OSError, ValueError):
        return None


class Reader(threading.Thread):
    """A dashboard user: one read-only connection to serving.duckdb, queried every 0.2 s."""

    def __init__(self, serving: Path) -> None:
        super().__init__(daemon=True)
        self.con = duckdb.connect(str(serving), read_only=True)
        self.errors: list[str] = []
        self.saw: set = set()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.saw.add(
                    self.con.execute(
                        "select published_at, (select max(as_of_date) from marts.account_profiles)"
                        " from marts.serving_publication"
                    ).fetchone()
                )
                self.con.execute("select count(*) from marts.expansion_scorecard").fetchone()
            except duckdb.Error as error:
                self.errors.append(str(error))
            time.sleep(0.2)
        self.con.close()


@pytest.fixture(scope="session")
def two_nights(tmp_path_factory, cli, small_company_landing, session_webhook) -> TwoNights:
    work = tmp_path_factory.mktemp("two_nights")
    landing, data_dir, holding = work / "landing", work / "data", work / "night_2"
    shutil.copytree(small_company_landing, landing)
    hold_back_after(landing, holding, NIGHT_1)
    refresh = cli.refresh_args(landing, data_dir)
    serving = data_dir / "serving.duckdb"

    session_webhook.failures_to_answer[:] = [503] * 100  # down all night
    night_1 = _run(cli, session_webhook, refresh)
    session_webhook.failures_to_answer.clear()
    night_1.outbox = outbox(data_dir)
    serving_after_night_1 = serving.read_bytes()

    drop_files(holding, landing)
    break_the_landing_zone(landing)

    process = cli.start(refresh)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "staging/stg_" in line:  # ingestion done, dbt has built its first models
            break
    dbt = live_children(process.pid, running=str(DBT_EXECUTABLE))
    process.send_signal(signal.SIGTERM)  # as a scheduler's timeout stops it
    lines += process.stdout.readlines()
    process.wait(timeout=60)
    stopped = Run(process.returncode, "".join(lines))
    serving_after_stop = serving.read_bytes()
    dbt_left = {pid for pid in dbt if Path(f"/proc/{pid}").exists()}

    session_webhook.failures_to_answer[:] = [500]  # fails once, then recovers
    posts_before = len(session_webhook.received)
    reader = Reader(serving)
    reader.start()
    first = cli.start(refresh)
    deadline = time.monotonic() + 60
    while _lock_holder_pid(data_dir) != first.pid and time.monotonic() < deadline:
        time.sleep(0.1)
    second = _run(cli, session_webhook, refresh)
    stdout, _ = first.communicate(timeout=900)
    reader.stop.set()
    reader.join()
    night_2 = Run(
        first.returncode, stdout, "", [m["text"] for m in session_webhook.received[posts_before:]]
    )
    night_2.outbox = outbox(data_dir)
    published_night_2 = published_marts(serving)

    rerun = _run(cli, session_webhook, refresh)
    rerun.outbox = outbox(data_dir)
    return TwoNights(
        landing=landing,
        data_dir=data_dir,
        night_1=night_1,
        serving_after_night_1=serving_after_night_1,
        stopped=stopped,
        dbt_of_the_stopped_run=dbt,
        dbt_left_by_the_stopped_run=dbt_left,
        serving_after_stop=serving_after_stop,
        night_2=night_2,
        second_refresh=second,
        first_pid=first.pid,
        reader_errors=reader.errors,
        reader_saw=reader.saw,
        published_night_2=published_night_2,
        rerun=rerun,
        published_rerun=published_marts(serving),
    )
