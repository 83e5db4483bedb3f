{#
    Generic test on a table of bands: every value from 0 up belongs to exactly
    one band. Ordered by `lower_column`, the lowest band starts at 0, each band
    ends (`upper_column`, exclusive) where the next one starts, and only the
    top band is open-ended (upper bound null). Returns the offending bands.
#}
{% test contiguous_bands(model, lower_column, upper_column) %}

with

bands_with_next as (

    select
        {{ lower_column }} as lower_bound,
        {{ upper_column }} as upper_bound,
        lead({{ lower_column }}) over (order by {{ lower_column }}) as next_lower_bound,
        row_number() over (order by {{ lower_column }}) as band_position
    from {{ model }}

),

gaps as (

    select *
    from bands_with_next
    where
        (band_position = 1 and lower_bound <> 0)
        or (
            next_lower_bound is not null
            and (upper_bound is null or upper_bound <> next_lower_bound)
        )
        or (next_lower_bound is null and upper_bound is not null)

)

select * from gaps

{% endtest %}
