"""The demo company, generated and refreshed once through the real `expansion demo`
command (the README's main command), with alerts posted to a local webhook.

The company is generated with the real-feed shapes the default demo does not have
(docs/generator.md): accounts whose usage feed goes dark for days or weeks, a monthly
fx file, Starter usage-ceiling intents on the one environment, and compliance tags that
the support team started using six days before the as-of date (compliance_ask has no
history: its first night quarantines it)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from expansion.alerts import WEBHOOK_URL_ENV
from expansion.settings import PROJECT_ROOT


@dataclass(frozen=True)
class Company:
    landing: Path
    data_dir: Path
    first_refresh: subprocess.CompletedProcess
    first_night_posts: tuple[str, ...]
    """The texts the local webhook received during the first refresh."""


COMPLIANCE_TAGS_FROM = "2026-11-15"
REAL_FEED_SHAPES = (
    "--dark-accounts",
    "0.05",
    "--fx-feed",
    "monthly",
    "--starter-environment-intents",
    "--compliance-tags-from",
    COMPLIANCE_TAGS_FROM,
)


def expansion_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "expansion.cli", *args]


@dataclass(frozen=True)
class Environment:
    dagster_home: Path
    webhook_url: str

    def variables(self) -> dict[str, str]:
        return {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            WEBHOOK_URL_ENV: self.webhook_url,
        }


def run(command: list[str], env: Environment, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env.variables(),
        **kwargs,
    )


@pytest.fixture(scope="session")
def e2e_environment(tmp_path_factory, session_webhook) -> Environment:
    """A project-local Dagster home, and every alert posted to the session's local webhook."""
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return Environment(dagster_home=home, webhook_url=session_webhook.url)


@pytest.fixture(scope="session")
def company(tmp_path_factory, e2e_environment, session_webhook) -> Company:
    data_dir = tmp_path_factory.mktemp("company") / "data"
    posts_before = len(session_webhook.received)
    first = run(
        expansion_command("demo", "--data-dir", str(data_dir), *REAL_FEED_SHAPES), e2e_environment
    )
    assert first.returncode == 0, first.stdout + first.stderr
    return Company(
        landing=data_dir / "landing",
        data_dir=data_dir,
        first_refresh=first,
        first_night_posts=tuple(m["text"] for m in session_webhook.received[posts_before:]),
    )
