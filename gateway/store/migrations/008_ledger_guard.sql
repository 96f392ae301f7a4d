-- 008_ledger_guard: an append that fails loudly when the ledger head moved (docs/ledger.md).

-- An optimistic append's write takes effect only if the head is still the one it was planned on;
-- otherwise it writes nothing and the appender plans again under the head's lock. When the
-- write is the transaction's last statement and travels with its COMMIT (one round trip), there
-- is no "again": the write must fail instead, so that the COMMIT rolls back, and the whole
-- transaction is run again. The write calls this function when the head moved.
CREATE FUNCTION ledger_head_moved() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger head moved under an optimistic append' USING ERRCODE = 'TB409';
END
$$;
