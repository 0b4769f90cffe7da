-- What is left once every chunk is checked: reports no longer current.
delete from pending_checks;
