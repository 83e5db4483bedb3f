select * from marts.outreach_queue
