select * from marts.trigger_firings
