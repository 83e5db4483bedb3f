select * from marts.trigger_backtest
