"""Query chaining with ${name} and page parameters bound, not pasted."""

import duckdb
import pytest

from expansion.dashboards.sql import (
    QueryReferenceError,
    batched_sql,
    bind_params,
    compile_query,
)


def test_reference_inlines_the_earlier_query_as_a_subquery():
    sql = compile_query("select count(*) from ${active}", {"active": "select * from t;"})
    assert sql == "select count(*) from (select * from t)"


def test_chained_references_are_already_compiled():
    compiled = {"a": "select 1 as x"}
    compiled["b"] = compile_query("select x from ${a}", compiled)
    assert (
        compile_query("select * from ${ b }", compiled)
        == "select * from (select x from (select 1 as x))"
    )


def test_reference_to_a_query_not_above_is_an_error():
    with pytest.raises(QueryReferenceError, match="later"):
        compile_query("select * from ${later}", {})


def test_quoted_param_becomes_one_named_placeholder():
    sql, values = bind_params(
        "select * from a where account_id = '${params.account_id}'", {"account_id": "O'Brien"}
    )
    assert sql == "select * from a where account_id = $account_id"
    assert values == {"account_id": "O'Brien"}


def test_unquoted_param_is_bound_too():
    assert bind_params("limit ${params.n}", {"n": "5"}) == ("limit $n", {"n": "5"})


def test_sql_without_params_binds_nothing():
    assert bind_params("select 1", {"account_id": "A"}) == ("select 1", {})


def test_unknown_param_is_an_error():
    with pytest.raises(QueryReferenceError, match=r"params\.segment"):
        bind_params("where segment = '${params.segment}'", {})


@pytest.fixture
def tickets() -> duckdb.DuckDBPyConnection:
    """Two pages (A and B) and their tickets; the batch runs over ``__pages``."""
    con = duckdb.connect()
    con.execute("create table __pages (__page integer, __param_account_id varchar)")
    con.execute("insert into __pages values (0, 'A'), (1, 'B')")
    con.execute("create table tickets (account_id varchar, opened integer, subject varchar)")
    con.execute(
        "insert into tickets values ('A', 1, 'a1'), ('A', 3, 'a3'), ('A', 2, 'a2'),"
        " ('B', 5, 'b5'), ('B', 4, 'b4')"
    )
    return con


def test_a_batch_orders_each_page_by_a_column_the_query_does_not_select(tickets):
    """The last two tickets per account, newest first, ordered by a column left out of
    the select list: one batched query gives each page the rows its own query gives."""
    sql = (
        "select subject from tickets where account_id = '${params.account_id}'"
        " order by opened desc limit 2"
    )
    batched = batched_sql(tickets, sql, ("account_id",))
    assert batched is not None
    cursor = tickets.execute(batched)
    assert [d[0] for d in cursor.description] == ["__page", "subject"]
    assert cursor.fetchall() == [(0, "a3"), (0, "a2"), (1, "b5"), (1, "b4")]


def test_a_batch_orders_by_an_output_name_as_order_by_reads_it(tickets):
    """``opened`` in the ORDER BY is the output column (minus the opening day), not the
    table's column: A's tickets come out a1, a2, a3."""
    sql = (
        "select subject, -opened as opened from tickets"
        " where account_id = '${params.account_id}' order by opened desc"
    )
    rows = tickets.execute(batched_sql(tickets, sql, ("account_id",))).fetchall()
    assert [r[1] for r in rows if r[0] == 0] == ["a1", "a2", "a3"]


def test_a_union_with_an_order_by_runs_page_by_page(tickets):
    sql = (
        "select subject from tickets where account_id = '${params.account_id}'"
        " union all select 'none' order by subject"
    )
    assert batched_sql(tickets, sql, ("account_id",)) is None


def test_a_batch_keeps_each_pages_own_offset_and_limit(tickets):
    """LIMIT and OFFSET count within each page: A's tickets by day are a1, a2, a3 and B's
    b4, b5, so skipping one and keeping two gives a2, a3 and b5."""
    sql = (
        "select subject from tickets where account_id = '${params.account_id}'"
        " order by opened limit 2 offset 1"
    )
    rows = tickets.execute(batched_sql(tickets, sql, ("account_id",))).fetchall()
    assert rows == [(0, "a2"), (0, "a3"), (1, "b5")]


def test_a_batch_keeps_each_pages_offset_without_a_limit(tickets):
    sql = (
        "select subject from tickets where account_id = '${params.account_id}'"
        " order by opened offset 2"
    )
    rows = tickets.execute(batched_sql(tickets, sql, ("account_id",))).fetchall()
    assert rows == [(0, "a3")]


def test_a_limit_that_is_not_a_row_count_runs_page_by_page(tickets):
    sql = "select subject from tickets where account_id = '${params.account_id}' limit 50%"
    assert batched_sql(tickets, sql, ("account_id",)) is None


def test_a_union_without_an_order_by_runs_as_one_batch(tickets):
    sql = (
        "select subject from tickets where account_id = '${params.account_id}'"
        " union all select 'none'"
    )
    rows = tickets.execute(batched_sql(tickets, sql, ("account_id",))).fetchall()
    assert sorted(rows) == [
        (0, "a1"),
        (0, "a2"),
        (0, "a3"),
        (0, "none"),
        (1, "b4"),
        (1, "b5"),
        (1, "none"),
    ]
