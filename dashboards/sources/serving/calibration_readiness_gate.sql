select * from marts.calibration_readiness_gate
