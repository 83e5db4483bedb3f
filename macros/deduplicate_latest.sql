{#
    Keep one row per business key: the one loaded last.

    Ingestion already rejects duplicate keys inside a load; this guards the
    mutable snapshot sources (accounts, contacts, subscriptions, tickets,
    opportunities) against a snapshot re-delivered in a second file. Order:
    latest `_loaded_at`, then the later file name, then the later row.

    Returns a `select` over `relation` with every column plus `_row_rank`
    (always 1); the calling model selects the columns it wants from it.
    Portable: a window function in a subquery, no `qualify`.
#}
{% macro deduplicate_latest(relation, key_columns) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by
                    _loaded_at desc nulls last,
                    _source_file desc nulls last,
                    _source_row_number desc nulls last
            ) as _row_rank
        from {{ relation }}
    ) as ranked
    where _row_rank = 1
{%- endmacro %}
