select * from marts.expansion_forecast
