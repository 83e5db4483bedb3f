select * from marts.objection_responses
