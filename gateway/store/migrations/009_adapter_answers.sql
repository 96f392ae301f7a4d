-- 009_adapter_answers: what cities' platforms answered, indexed for the case timeline.

-- A platform that does not run Tongban signs nothing; its answers are kept as ledger entries of
-- kind 'adapter' (RFC 8785 JSON: adapters/ledger-entry.ts). This table finds them by delegation,
-- as `messages` finds signed messages: one row per entry, written in the same transaction.
CREATE TABLE adapter_answers (
  ledger_index  bigint      PRIMARY KEY,
  city          text        NOT NULL,
  operation     text        NOT NULL,
  delegation_id text,
  message_id    text,
  http_status   int,
  at            timestamptz NOT NULL
);
CREATE INDEX adapter_answers_delegation ON adapter_answers (delegation_id, ledger_index)
  WHERE delegation_id IS NOT NULL;

-- Entries logged before this migration.
INSERT INTO adapter_answers (ledger_index, city, operation, delegation_id, message_id, http_status, at)
SELECT idx, d ->> 'city', d ->> 'operation', d ->> 'delegationId', d ->> 'messageId',
       (d -> 'response' ->> 'status')::int, (d ->> 'at')::timestamptz
  FROM (SELECT idx, convert_from(data, 'UTF8')::jsonb AS d
          FROM ledger_entries WHERE kind = 'adapter') AS e;
