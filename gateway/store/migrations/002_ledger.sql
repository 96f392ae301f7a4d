-- 002_ledger: the signed message ledger, an RFC 6962 / RFC 9162 Merkle tree (docs/ledger.md).

-- Every envelope and receipt, as the exact bytes that were hashed (RFC 9162 §2.1.1 leaf).
CREATE TABLE ledger_entries (
  idx        bigint      PRIMARY KEY CHECK (idx >= 0),
  data       bytea       NOT NULL,
  leaf_hash  bytea       NOT NULL CHECK (length(leaf_hash) = 32),
  kind       text        NOT NULL,
  message_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_message_id ON ledger_entries (message_id) WHERE message_id IS NOT NULL;

-- Hash of every COMPLETE (perfect) subtree of level >= 1: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level). Level 0 is ledger_entries.leaf_hash. Any proof is
-- built from O(log n) of these rows, read in one query.
CREATE TABLE ledger_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  idx   bigint   NOT NULL CHECK (idx >= 0),
  hash  bytea    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- The one mutable row: tree size and the append frontier (the roots of the perfect
-- subtrees making up [0, size), largest first, concatenated). Appends lock it FOR UPDATE,
-- which serialises them across every gateway process sharing this database.
CREATE TABLE ledger_head (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  size       bigint      NOT NULL CHECK (size >= 0),
  frontier   bytea       NOT NULL CHECK (length(frontier) % 32 = 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_head (id, size, frontier) VALUES (1, 0, ''::bytea);

-- Signed tree heads (c2sp.org/tlog-checkpoint notes). One per size: never two roots for
-- one size.
CREATE TABLE ledger_checkpoints (
  size       bigint      PRIMARY KEY CHECK (size >= 0),
  root       bytea       NOT NULL CHECK (length(root) = 32),
  note       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Witnessing: the latest good checkpoint of each peer, and any alarm (fork or shrink)
-- together with the offending note as evidence.
CREATE TABLE peer_checkpoints (
  peer          text        PRIMARY KEY,
  size          bigint      NOT NULL CHECK (size >= 0),
  root          bytea       NOT NULL CHECK (length(root) = 32),
  note          text        NOT NULL,
  seen_at       timestamptz NOT NULL DEFAULT now(),
  status        text        NOT NULL CHECK (status IN ('ok', 'fork', 'shrink')),
  detail        text,
  evidence_note text
);

-- Append-only, enforced by the database itself rather than by application discipline.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'ledger table % is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'raise_exception';
END
$fn$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_append_only BEFORE UPDATE OR DELETE ON ledger_nodes
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The head row may only move forward: it is never deleted and its size never shrinks.
CREATE FUNCTION ledger_head_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.size >= OLD.size THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger_head only grows (% refused)', TG_OP USING ERRCODE = 'raise_exception';
END
$fn$;

CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE OR DELETE ON ledger_head
  FOR EACH ROW EXECUTE FUNCTION ledger_head_guard();
CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_head_guard();
