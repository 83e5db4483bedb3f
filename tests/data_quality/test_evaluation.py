"""A quality check passes, warns or errors according to its expectations' severities."""

from __future__ import annotations

import duckdb
import pytest

from data_quality.checks import Expectation, QualityCheck
from data_quality.evaluation import run_check


def share_check(warn_max: float, error_max: float) -> QualityCheck:
    return QualityCheck(
        name="reject_share",
        asset=("raw", "accounts"),
        description="share of rows rejected",
        frame_sql="select rejected / total as reject_share from counts",
        expectations=(
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": warn_max},
                "warn",
                "look",
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": error_max},
                "error",
                "fix",
            ),
        ),
    )


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create table counts as select 3.0 as rejected, 100.0 as total")  # 3 %
    yield con
    con.close()


@pytest.mark.parametrize(
    ("warn_max", "error_max", "severity", "failed_remedies"),
    [
        (0.05, 0.10, None, []),
        (0.01, 0.05, "warn", ["look"]),
        (0.01, 0.02, "error", ["look", "fix"]),
    ],
)
def test_severity_is_the_worst_failed_expectation(
    con, warn_max, error_max, severity, failed_remedies
):
    report = run_check(con, share_check(warn_max, error_max))

    assert report.rows_inspected == 1
    assert report.severity == severity
    assert [f.remedy for f in report.failures] == failed_remedies


def test_outcomes_keep_the_order_of_the_expectations_and_show_what_was_observed(con):
    report = run_check(con, share_check(0.01, 0.02))

    assert [o.severity for o in report.outcomes] == ["warn", "error"]
    assert report.outcomes[0].observed["unexpected_count"] == 1
    assert (
        report.outcomes[0].summary
        == "expect_column_values_to_be_between on reject_share: FAILED (warn)"
    )
