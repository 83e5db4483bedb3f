select * from marts.opportunity_attribution
