select * from marts.calibration_bounds
