select * from marts.trigger_threshold_sweep
