select * from marts.company_benchmarks
