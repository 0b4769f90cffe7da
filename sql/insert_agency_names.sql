insert into agency_names by name
select * from staged_agency_names
order by agency;
