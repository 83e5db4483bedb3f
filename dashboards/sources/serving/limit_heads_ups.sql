select * from marts.limit_heads_ups
