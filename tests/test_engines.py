"""What an engine needs, said before anything runs: the Java version, the extra, the
command line's exit code 2 and its message."""

from __future__ import annotations

import importlib.util

import pytest

from expansion import engines
from expansion.cli import main
from expansion.engines import missing_requirements, parse_java_version


@pytest.mark.parametrize(
    ("shown", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_402"', 8),
        ("no version here", None),
    ],
)
def test_the_java_version_is_read_from_java_dash_version(shown, major):
    assert parse_java_version(shown) == major


def test_duckdb_needs_nothing_more():
    assert missing_requirements("duckdb") == []


def test_spark_without_java_17_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(engines, "java_major_version", lambda: 11)
    (message,) = [m for m in missing_requirements("spark") if "Java" in m]
    assert message.startswith("--engine spark needs Java 17 or newer (found Java 11)")
    assert "scripts/install_system_packages.sh" in message


def test_spark_without_the_extra_says_how_to_install_it(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        engines.importlib.util,
        "find_spec",
        lambda name: None if name == "pyspark" else real_find_spec(name),
    )
    monkeypatch.setattr(engines, "java_major_version", lambda: 17)
    assert missing_requirements("spark") == [
        "--engine spark needs the project's spark extra (dbt-spark and pyspark, about 450 MB): "
        "run `uv sync --frozen --extra spark`, or prefix the command with "
        "`uv run --frozen --extra spark`"
    ]


def test_a_refresh_on_an_engine_that_cannot_run_exits_2_before_doing_anything(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setattr(engines, "java_major_version", lambda: None)
    landing = tmp_path / "landing"
    landing.mkdir()
    data_dir = tmp_path / "data"
    code = main(
        ["refresh", "--landing", str(landing), "--data-dir", str(data_dir), "--engine", "spark"]
    )
    assert code == 2
    assert "error: --engine spark needs Java 17 or newer (none found)" in capsys.readouterr().err
    assert not data_dir.exists()


def test_the_engine_defaults_to_the_environment(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("EXPANSION_ENGINE", "spark")
    monkeypatch.setattr(engines, "java_major_version", lambda: None)
    landing = tmp_path / "landing"
    landing.mkdir()
    assert main(["refresh", "--landing", str(landing), "--data-dir", str(tmp_path / "d")]) == 2
    assert "--engine spark needs Java" in capsys.readouterr().err
