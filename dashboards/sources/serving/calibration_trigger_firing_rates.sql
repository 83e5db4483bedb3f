select * from marts.calibration_trigger_firing_rates
