-- 007_ledger_storage: no compression of large ledger entries (docs/operations.md, Performance).

-- An entry above the TOAST threshold (≈ 2 kB: a receipt.batch listing a batch's messages) was
-- compressed with pglz on insert, ≈ 2 % of PostgreSQL's CPU under load in the bench. The bytes
-- are base64url JSON that compresses poorly, are written once and read for proofs and
-- verification. EXTERNAL keeps them out of line, uncompressed. Rows written before keep their
-- form; both read the same.
ALTER TABLE ledger_entries ALTER COLUMN data SET STORAGE EXTERNAL;
