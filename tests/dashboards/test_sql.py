"""Query chaining with ${name} and page parameters bound, not pasted."""

import pytest

from expansion.dashboards.sql import QueryReferenceError, bind_params, compile_query


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
