select * from marts.account_health_daily
