select * from marts.benchmark_ratings
