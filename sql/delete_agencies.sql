delete from agencies;
