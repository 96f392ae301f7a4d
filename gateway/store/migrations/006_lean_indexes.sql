-- 006_lean_indexes: fewer index entries written per message (docs/operations.md, Performance).

-- Nothing looks a ledger entry up by message id: messages.ledger_index is the way in. The
-- index cost one random-key B-tree insertion per entry.
DROP INDEX IF EXISTS ledger_entries_message_id;

-- Delivered rows are nearly all of the outbox and nothing finds them through this index
-- (listings by status page backwards through the primary key). Every update of a row wrote a
-- new entry here; now only open and dead rows are indexed by status.
DROP INDEX IF EXISTS outbox_status;
CREATE INDEX outbox_status ON outbox (status, id) WHERE status <> 'delivered';

-- An outgoing message's row is updated once, when its receipt arrives (receipt_id). With room
-- left in each page that update can stay on the page and skip every index (a HOT update);
-- with full pages it wrote a new entry into each of the table's three indexes.
ALTER TABLE messages SET (fillfactor = 80);
