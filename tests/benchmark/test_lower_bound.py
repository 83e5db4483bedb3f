"""The benchmark's lower bound (expansion/lower_bound.sql) computes what it claims to, on
a hand-made landing zone: one account, 10 paid seats from 2026-01-01 (USD 12,000) and
a EUR 1,000 module from 2026-02-01 (rate 1.10), usage from 2026-01-01 to 2026-03-21
(the as-of date) with 9 active users a day (90% of the seats), but no usage row on
01-20 and 3 active users on 02-19.

seat_saturation holds once 9 >= 8.5 users have been active for 14 days in a row:
01-14 (a rising edge: fires), 02-03 (a rising edge after the dark day broke the run:
01-21 to 02-03; within 30 days of 01-14, so no firing), 03-05 (after the quiet day:
02-20 to 03-05; fires). API calls are flat (10 a day): api_growth never holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from expansion.lower_bound import lower_bound_sql, run_lower_bound

AS_OF = dt.date(2026, 3, 21)
DARK_DAY = dt.date(2026, 1, 20)
QUIET_DAY = dt.date(2026, 2, 19)


def write(landing: Path, source: str, header: str, rows: list[str]) -> None:
    folder = landing / source
    folder.mkdir(parents=True)
    (folder / f"{source}.csv").write_text("\n".join([header, *rows]) + "\n")


def hand_made_landing(landing: Path) -> Path:
    write(landing, "accounts", "account_id,segment", ["acc_1,SMB"])
    write(
        landing,
        "products",
        "product_id,unit",
        ["core,seat", "module,flat"],
    )
    write(
        landing,
        "subscriptions",
        "line_id,account_id,product_id,quantity,arr,currency,start_date,end_date",
        [
            "l_1,acc_1,core,10,12000.00,USD,2026-01-01,",
            "l_2,acc_1,module,1,1000.00,EUR,2026-02-01,",
        ],
    )
    write(
        landing,
        "fx_rates",
        "currency,rate_date,usd_per_unit",
        ["EUR,2026-01-15,1.1000", "USD,2026-01-01,1.0000"],
    )
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(80)]  # to AS_OF
    days = [day for day in days if day != DARK_DAY]
    write(
        landing,
        "usage_daily",
        "account_id,usage_date,active_users,events,api_calls",
        [f"acc_1,{day},{3 if day == QUIET_DAY else 9},100,10" for day in days],
    )
    write(landing, "support_tickets", "ticket_id,account_id,created_at,csat", [])
    write(landing, "nps_responses", "response_id,account_id,responded_at,score", [])
    write(landing, "opportunities", "opportunity_id,account_id,created_at,outcome", [])
    return landing


def test_the_script_computes_arr_every_account_day_and_firings_with_the_cooldown(tmp_path):
    landing = hand_made_landing(tmp_path / "landing")

    result = run_lower_bound(landing, AS_OF)

    with duckdb.connect() as con:
        for statement in lower_bound_sql(landing, AS_OF):
            con.execute(statement)
        arr = con.execute("select month_end, arr_usd from month_end_arr order by 1").fetchall()
        health_days = con.execute(
            "select count(*), min(usage_date), max(usage_date) from health_daily"
        ).fetchone()
        dark = con.execute(
            "select active_users from health_daily where usage_date = ?", [DARK_DAY]
        ).fetchone()
        firings = con.execute(
            "select trigger_id, fired_on from trigger_firings order by 1, 2"
        ).fetchall()
        edges = con.execute(
            "select fired_on from trigger_edges where trigger_id = 'seat_saturation' order by 1"
        ).fetchall()
    assert arr == [
        (dt.date(2026, 1, 31), 12000.0),
        (dt.date(2026, 2, 28), 12000.0 + 1100.0),
    ]
    assert health_days == (80, dt.date(2026, 1, 1), AS_OF)
    assert dark == (0,)
    assert [day for (day,) in edges] == [
        dt.date(2026, 1, 14),
        dt.date(2026, 2, 3),
        dt.date(2026, 3, 5),
    ]
    assert firings == [
        ("seat_saturation", dt.date(2026, 1, 14)),
        ("seat_saturation", dt.date(2026, 3, 5)),
    ]
    assert result.rows["health_daily"] == 80
    assert result.rows["trigger_firings"] == 2
    assert result.seconds >= 0
