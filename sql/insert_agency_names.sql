-- Names not in the table (new, or deleted above because their link changed).
insert into agency_names by name
select * from staged_agency_names
where agency not in (select agency from agency_names)
order by agency;
