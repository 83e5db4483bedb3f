select * from marts.expansion_forecast_summary
