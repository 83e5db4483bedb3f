select * from marts.csql_funnel
