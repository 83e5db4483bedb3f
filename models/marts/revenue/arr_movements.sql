-- Published monthly ARR movements: int_arr_movements (computed there, for the
-- models that read movements - the expansions checked 90 days on - and this mart).
select * from {{ ref('int_arr_movements') }}
