select * from marts.check_results
