delete from agency_names;
