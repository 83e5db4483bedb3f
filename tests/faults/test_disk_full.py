"""A full disk, on a small tmpfs mounted for the test (root or CAP_SYS_ADMIN needed; the
tests are skipped, saying so, where the machine does not allow a mount): the write
fails with a message that says so, nothing half-written stays, and once there is room
again the same step converges."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from expansion.ingest import RawZone, ingest_landing_zone
from expansion.publish import Publication, publish_serving_database
from expansion.runner import ExitCode

MB = 1024 * 1024


@dataclass(frozen=True)
class SmallDisk:
    path: Path

    def fill(self, leave_bytes: int = 0) -> Path:
        """Take all the free space but ``leave_bytes`` with a ballast file."""
        free = shutil.disk_usage(self.path).free
        ballast = self.path / "ballast"
        with ballast.open("wb") as stream:
            stream.truncate(0)
            remaining = max(free - leave_bytes, 0)
            while remaining > 0:
                chunk = min(remaining, MB)
                try:
                    stream.write(b"\0" * chunk)
                    stream.flush()
                except OSError:
                    break
                remaining -= chunk
        return ballast


@pytest.fixture
def small_disk(tmp_path) -> Iterator[SmallDisk]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "cannot mount a small tmpfs to fill up here (needs root or CAP_SYS_ADMIN): "
            + mounted.stderr.strip()
        )
    try:
        yield SmallDisk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_ingestion_on_a_full_disk_fails_saying_so_and_loads_everything_once_there_is_room(
    small_disk, zone, landing_copy, facts
):
    zone_on_disk = RawZone(small_disk.path / "raw")
    shutil.copytree(zone.root, zone_on_disk.root)
    new_day = landing_copy / "usage_daily" / "2026-03-02.csv"
    header, *rows = (landing_copy / "usage_daily" / "2026-03-01.csv").read_text().splitlines()
    new_day.write_text("\n".join([header, *(r.replace("2026-03-01", "2026-03-02") for r in rows)]))
    raw = facts.reader(zone_on_disk)
    before = facts.snapshot(raw)
    ballast = small_disk.fill()

    with pytest.raises(OSError, match="No space left on device"):
        ingest_landing_zone(zone_on_disk, landing_copy)

    ballast.unlink()
    assert facts.snapshot(raw) == before
    assert facts.gaps(raw) == []
    loaded = [r for r in ingest_landing_zone(zone_on_disk, landing_copy) if r.files_loaded]
    assert [(r.source, r.rows_loaded) for r in loaded] == [("usage_daily", len(rows))]
    assert facts.gaps(raw) == []
    assert not [path.name for path in zone_on_disk.root.rglob(".*")], "no half-written file"
    raw.close()


def test_publishing_on_a_full_disk_keeps_the_published_version_and_leaves_no_partial_file(
    small_disk, tmp_path
):
    warehouse, serving = tmp_path / "warehouse.duckdb", small_disk.path / "serving.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.account_profiles as select 'acc_1' as account_id")
    publish_serving_database(warehouse, serving, Publication(as_of_date=None, run_id="night 1"))
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table marts.usage as select i, md5(cast(i as varchar)) as digest"
            " from range(200000) as t(i)"
        )
    before = serving.read_bytes()
    ballast = small_disk.fill(leave_bytes=2 * MB)

    with pytest.raises(duckdb.Error, match="No space left on device"):
        publish_serving_database(warehouse, serving, Publication(as_of_date=None, run_id="night 2"))

    assert serving.read_bytes() == before
    assert sorted(p.name for p in small_disk.path.iterdir()) == ["ballast", "serving.duckdb"]
    ballast.unlink()
    publish_serving_database(warehouse, serving, Publication(as_of_date=None, run_id="night 2"))
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select count(*) from marts.usage").fetchone() == (200000,)


def test_a_refresh_on_a_full_disk_exits_1_naming_the_disk_and_publishes_nothing(
    small_disk, tiny_landing, cli
):
    data_dir = small_disk.path / "data"
    data_dir.mkdir()
    (data_dir / "serving.duckdb").write_bytes(b"yesterday's marts")
    small_disk.fill(leave_bytes=64 * 1024)

    result = cli.run(cli.refresh_args(tiny_landing, data_dir))

    assert result.returncode == ExitCode.NOT_PUBLISHED, result.stdout + result.stderr
    assert "No space left on device" in result.stdout
    lines = result.stdout.splitlines()
    (not_published,) = [line for line in lines if line.startswith("NOT PUBLISHED")]
    assert not_published.startswith("NOT PUBLISHED (kept the last published version): raw__")
    assert not_published.count("No space left on device") == 1, "one line per cause"
    assert (data_dir / "serving.duckdb").read_bytes() == b"yesterday's marts"
