-- A cursor that reads and writes the check chunks' in-memory database by default.
use check_scratch;
