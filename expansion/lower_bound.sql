-- The lower bound of `expansion benchmark`: the core of a night's work as one plain
-- DuckDB script, hand-written, over the same landing zone. It loads the CSVs and
-- computes month-end ARR, segment NRR, a daily health score for every account-day,
-- two triggers with rising edges and a greedy cooldown, and their backtest. No
-- validation, lineage, rejects, tests, checks, publication, dashboards or alerts:
-- the product does all of that too, so its time divided by this script's is what the
-- rest costs. Definitions are SPEC.md's, simplified where the cost does not change
-- (one health formula, the CRM segment); the figures are not the product's.
--
-- expansion/lower_bound.py runs it with {landing} replaced by the landing folder and
-- {as_of} by the as-of date (YYYY-MM-DD); it reads the row counts of the result tables.
-- Rows that do not parse are skipped (the product rejects them with a reason), and
-- every file of a source is read with the first file's columns (the contract's).

create table accounts as
select * from read_csv(
    '{landing}/accounts/*.csv', header = true, ignore_errors = true,
    types = {'account_id': 'varchar', 'segment': 'varchar'}
);
create table products as
select * from read_csv(
    '{landing}/products/*.csv', header = true, ignore_errors = true,
    types = {'product_id': 'varchar', 'unit': 'varchar'}
);
create table subscriptions as
select * from read_csv(
    '{landing}/subscriptions/*.csv', header = true, ignore_errors = true,
    types = {
        'account_id': 'varchar', 'product_id': 'varchar', 'quantity': 'integer',
        'arr': 'double', 'currency': 'varchar', 'start_date': 'date', 'end_date': 'date'
    }
);
create table fx_rates as
select * from read_csv(
    '{landing}/fx_rates/*.csv', header = true, ignore_errors = true,
    types = {'currency': 'varchar', 'rate_date': 'date', 'usd_per_unit': 'double'}
);
create table usage_daily as
select * from read_csv(
    '{landing}/usage_daily/*.csv', header = true, ignore_errors = true,
    types = {
        'account_id': 'varchar', 'usage_date': 'date', 'active_users': 'integer',
        'events': 'bigint', 'api_calls': 'bigint'
    }
);
create table support_tickets as
select * from read_csv(
    '{landing}/support_tickets/*.csv', header = true, ignore_errors = true,
    types = {'account_id': 'varchar', 'created_at': 'timestamp', 'csat': 'double'}
);
create table nps_responses as
select * from read_csv(
    '{landing}/nps_responses/*.csv', header = true, ignore_errors = true,
    types = {'account_id': 'varchar', 'responded_at': 'timestamp', 'score': 'integer'}
);
create table opportunities as
select * from read_csv(
    '{landing}/opportunities/*.csv', header = true, ignore_errors = true,
    types = {'account_id': 'varchar', 'created_at': 'timestamp', 'outcome': 'varchar'}
);

-- Every subscription line in USD: the rate of its currency on or before its start.
create table lines_usd as
select
    s.account_id,
    s.product_id,
    s.quantity,
    s.start_date,
    coalesce(s.end_date, date '9999-12-31') as end_date,
    s.arr * coalesce(fx.usd_per_unit, 1) as arr_usd
from subscriptions as s
asof left join fx_rates as fx
    on upper(s.currency) = fx.currency and s.start_date >= fx.rate_date;

-- Month-end ARR per account (start_date <= day < end_date).
create table month_end_arr as
with month_ends as (
    select cast(last_day(m) as date) as month_end
    from range(
        date_trunc('month', (select min(start_date) from lines_usd)),
        date '{as_of}',
        interval 1 month
    ) as months (m)
    where last_day(m) <= date '{as_of}'
)
select a.account_id, a.segment, m.month_end, coalesce(sum(l.arr_usd), 0) as arr_usd
from accounts as a
cross join month_ends as m
left join lines_usd as l
    on a.account_id = l.account_id and l.start_date <= m.month_end and m.month_end < l.end_date
group by all;

-- Segment NRR and GRR, trailing 12 months, cohort = ARR > 0 twelve months before.
create table segment_nrr as
select
    now_.month_end,
    then_.segment,
    count(*) as cohort_accounts,
    sum(now_.arr_usd) / sum(then_.arr_usd) as nrr,
    sum(least(now_.arr_usd, then_.arr_usd)) / sum(then_.arr_usd) as grr
from month_end_arr as now_
inner join month_end_arr as then_
    on now_.account_id = then_.account_id
    and then_.month_end = cast(last_day(now_.month_end - interval 12 month) as date)
where then_.arr_usd > 0
group by all;

-- Every account-day from its first usage day to the as-of date, a day without a usage
-- row being a day of zero usage; paid seats from the active seat lines.
create table account_days as
with spine as (
    select u.account_id, cast(d.day as date) as usage_date
    from (select account_id, min(usage_date) as first_day from usage_daily group by all) as u
    cross join lateral range(u.first_day, date '{as_of}' + 1, interval 1 day) as d (day)
)
select
    s.account_id,
    s.usage_date,
    coalesce(u.active_users, 0) as active_users,
    coalesce(u.events, 0) as events,
    coalesce(u.api_calls, 0) as api_calls
from spine as s
left join usage_daily as u on s.account_id = u.account_id and s.usage_date = u.usage_date;

create table seats_daily as
select d.account_id, d.usage_date, coalesce(sum(l.quantity), 0) as paid_seats
from account_days as d
left join lines_usd as l
    on d.account_id = l.account_id
    and l.start_date <= d.usage_date and d.usage_date < l.end_date
    and l.product_id in (select product_id from products where unit = 'seat')
group by all;

create table tickets_daily as
select account_id, cast(created_at as date) as usage_date, count(*) as tickets
from support_tickets group by all;

-- Daily health, 0-100: usage vs seats, engagement trend (7 vs 28 days), support load
-- (30 days), latest NPS.
create table health_daily as
with windows as (
    select
        d.account_id,
        d.usage_date,
        d.active_users,
        d.api_calls,
        s.paid_seats,
        avg(d.events) over (
            partition by d.account_id order by d.usage_date
            rows between 6 preceding and current row
        ) as events_7d,
        avg(d.events) over (
            partition by d.account_id order by d.usage_date
            rows between 27 preceding and current row
        ) as events_28d,
        sum(coalesce(t.tickets, 0)) over (
            partition by d.account_id order by d.usage_date
            rows between 29 preceding and current row
        ) as tickets_30d
    from account_days as d
    inner join seats_daily as s using (account_id, usage_date)
    left join tickets_daily as t using (account_id, usage_date)
),

with_nps as (
    select w.*, n.score as latest_nps
    from windows as w
    asof left join (
        select account_id, cast(responded_at as date) as responded_on, score from nps_responses
    ) as n
        on w.account_id = n.account_id and w.usage_date >= n.responded_on
)

select
    account_id,
    usage_date,
    active_users,
    api_calls,
    paid_seats,
    round(
        40 * least(active_users / greatest(paid_seats, 1), 1)
        + 25 * least(events_7d / nullif(events_28d, 0), 1.5) / 1.5
        + 15 * greatest(1 - tickets_30d / 10, 0)
        + 20 * coalesce(latest_nps, 5) / 10,
        1
    ) as health_score
from with_nps;

-- Two triggers, per account and calendar day: seat_saturation (active users >= 85% of
-- paid seats for 14+ consecutive days) and api_growth (API calls of the last 30 days
-- +40% over the 30 before). A firing is a rising edge (the day before did not hold),
-- at least 30 days after the trigger's previous firing on the account (greedy).
create table trigger_conditions as
with saturation as (
    select
        account_id,
        usage_date,
        paid_seats > 0 and active_users >= 0.85 * paid_seats as saturated
    from health_daily
),

runs as (
    select
        *,
        sum(case when saturated then 0 else 1 end) over (
            partition by account_id order by usage_date
        ) as run_id
    from saturation
),

seat_saturation as (
    select
        'seat_saturation' as trigger_id,
        account_id,
        usage_date,
        saturated and sum(case when saturated then 1 else 0 end) over (
            partition by account_id, run_id order by usage_date
        ) >= 14 as holds
    from runs
),

api as (
    select
        account_id,
        usage_date,
        sum(api_calls) over (
            partition by account_id order by usage_date rows between 29 preceding and current row
        ) as last_30,
        sum(api_calls) over (
            partition by account_id order by usage_date rows between 59 preceding and 30 preceding
        ) as prior_30,
        count(*) over (
            partition by account_id order by usage_date rows between 59 preceding and current row
        ) as days_of_history
    from health_daily
)

select * from seat_saturation
union all
select
    'api_growth',
    account_id,
    usage_date,
    days_of_history = 60 and prior_30 > 0 and last_30 >= 1.4 * prior_30
from api;

create table trigger_edges as
select trigger_id, account_id, usage_date as fired_on
from (
    select
        *,
        lag(holds, 1, false) over (
            partition by trigger_id, account_id order by usage_date
        ) as held_before
    from trigger_conditions
)
where holds and not held_before;

create table trigger_firings as
with recursive chain as (
    select trigger_id, account_id, min(fired_on) as fired_on
    from trigger_edges
    group by all
    union all
    select c.trigger_id, c.account_id, (
        select min(e.fired_on) from trigger_edges as e
        where e.trigger_id = c.trigger_id and e.account_id = c.account_id
            and e.fired_on >= c.fired_on + 30
    )
    from chain as c
    where c.fired_on is not null
)
select * from chain where fired_on is not null;

-- Backtest over the 90 days ending 90 days before the as-of date: firing rate (accounts
-- with a firing / accounts with usage), precision (firings followed within 90 days by
-- a higher month-end ARR or a won opportunity) and lift over the base expansion rate.
create table trigger_backtest as
with settings as (
    select date '{as_of}' - 90 as window_end, date '{as_of}' - 180 as window_start
),

arr_daily as (
    select account_id, month_end, arr_usd from month_end_arr
),

expanded as (
    select f.trigger_id, f.account_id, f.fired_on,
        exists (
            select 1 from arr_daily as later
            inner join arr_daily as before_
                on later.account_id = before_.account_id
                and before_.month_end = cast(last_day(f.fired_on - interval 1 month) as date)
            where later.account_id = f.account_id
                and later.month_end > f.fired_on and later.month_end <= f.fired_on + 90
                and later.arr_usd > before_.arr_usd
        ) or exists (
            select 1 from opportunities as o
            where o.account_id = f.account_id and o.outcome = 'won'
                and cast(o.created_at as date) between f.fired_on and f.fired_on + 90
        ) as followed_by_expansion
    from trigger_firings as f, settings as s
    where f.fired_on between s.window_start and s.window_end
),

eligible as (
    select count(distinct account_id) as accounts
    from account_days, settings
    where usage_date between window_start and window_end and active_users > 0
),

base as (
    select avg(case when later.arr_usd > now_.arr_usd then 1.0 else 0.0 end) as base_rate
    from month_end_arr as now_
    inner join month_end_arr as later
        on now_.account_id = later.account_id
        and later.month_end = cast(last_day(now_.month_end + interval 3 month) as date)
    , settings
    where now_.month_end between window_start and window_end and now_.arr_usd > 0
)

select
    e.trigger_id,
    count(*) as firings,
    count(distinct e.account_id) / any_value(eligible.accounts) as firing_rate,
    avg(case when e.followed_by_expansion then 1.0 else 0.0 end) as trigger_precision,
    avg(case when e.followed_by_expansion then 1.0 else 0.0 end)
    / nullif(any_value(base.base_rate), 0) as lift
from expanded as e, eligible, base
group by e.trigger_id;
