select * from marts.readiness_gate_daily
