select * from marts.trigger_registry
