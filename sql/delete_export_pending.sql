delete from export_pending;
