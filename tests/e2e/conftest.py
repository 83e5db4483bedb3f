"""One small generated company, refreshed once through the real command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from expansion.settings import PROJECT_ROOT

E2E_ACCOUNTS = 120
E2E_DAYS = 400
E2E_END_DATE = "2026-11-21"


@dataclass(frozen=True)
class Company:
    landing: Path
    data_dir: Path
    first_refresh: subprocess.CompletedProcess


def expansion_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "expansion.cli", *args]


def refresh_command(landing: Path, data_dir: Path) -> list[str]:
    return expansion_command("refresh", "--landing", str(landing), "--data-dir", str(data_dir))


def environment(dagster_home: Path) -> dict[str, str]:
    return {**os.environ, "DAGSTER_HOME": str(dagster_home)}


def run(command: list[str], dagster_home: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=environment(dagster_home),
        **kwargs,
    )


@pytest.fixture(scope="session")
def dagster_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return home


@pytest.fixture
def refresh(dagster_home):
    """Run `expansion refresh` on a company in a subprocess, as the scheduler would."""

    def run_refresh(company: Company, **kwargs) -> subprocess.CompletedProcess:
        return run(refresh_command(company.landing, company.data_dir), dagster_home, **kwargs)

    return run_refresh


@pytest.fixture
def start_refresh(dagster_home):
    """Start `expansion refresh` without waiting, in its own process group (so that a
    test can kill it together with the dbt subprocess, as a scheduler would)."""

    def start(company: Company) -> subprocess.Popen:
        return subprocess.Popen(
            refresh_command(company.landing, company.data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=PROJECT_ROOT,
            env=environment(dagster_home),
            start_new_session=True,
        )

    return start


@pytest.fixture(scope="session")
def company(tmp_path_factory, dagster_home) -> Company:
    root = tmp_path_factory.mktemp("company")
    landing = root / "landing"
    generated = run(
        expansion_command(
            "generate",
            "--accounts",
            str(E2E_ACCOUNTS),
            "--days",
            str(E2E_DAYS),
            "--end-date",
            E2E_END_DATE,
            "--seed",
            "7",
            "--out",
            str(landing),
        ),
        dagster_home,
    )
    assert generated.returncode == 0, generated.stderr
    first = run(refresh_command(landing, root / "data"), dagster_home)
    assert first.returncode == 0, first.stdout + first.stderr
    return Company(landing=landing, data_dir=root / "data", first_refresh=first)


@pytest.fixture
def company_copy(company, tmp_path) -> Company:
    """A private copy of the refreshed company, for tests that change or break it."""
    landing = tmp_path / "landing"
    data_dir = tmp_path / "data"
    shutil.copytree(company.landing, landing)
    shutil.copytree(company.data_dir, data_dir)
    return Company(landing=landing, data_dir=data_dir, first_refresh=company.first_refresh)
