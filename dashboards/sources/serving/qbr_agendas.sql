select * from marts.qbr_agendas
