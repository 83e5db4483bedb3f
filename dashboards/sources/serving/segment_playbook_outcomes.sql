select * from marts.segment_playbook_outcomes
