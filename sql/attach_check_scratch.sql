-- The in-memory database the check chunks' context is copied into, one chunk at a time: the
-- reconcile views read a few thousand reports there, however large the warehouse.
attach ':memory:' as check_scratch;
