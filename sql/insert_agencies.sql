insert into agencies by name
select * from staged_agencies
order by agency_id;
