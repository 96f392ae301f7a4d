-- Every signed message in or out. The exact bytes live in the ledger (ledger_entries.data);
-- this table indexes them for replay detection, timelines and delivery.
CREATE TABLE messages (
  id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  type text NOT NULL,
  from_city text NOT NULL,
  to_city text NOT NULL,
  kid text NOT NULL,
  digest text NOT NULL,
  ledger_index bigint NOT NULL,
  issued_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  case_id text,
  delegation_id text,
  -- inbound: the id of the receipt we answered with; outbound: the peer's receipt id
  receipt_id text,
  PRIMARY KEY (id, direction)
);
CREATE INDEX messages_case ON messages (case_id, recorded_at);
CREATE INDEX messages_delegation ON messages (delegation_id, recorded_at);

-- Transactional outbox: written in the same transaction as the change and its ledger entry.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL UNIQUE,
  peer text NOT NULL,
  type text NOT NULL,
  path text NOT NULL,
  delegation_id text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  dead_at timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'in_flight');
CREATE INDEX outbox_status ON outbox (status, id);

-- Every delivery attempt, for audit and metrics.
CREATE TABLE delivery_attempts (
  outbox_id bigint NOT NULL REFERENCES outbox (id),
  attempt int NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL,
  http_status int,
  error text,
  ms int,
  PRIMARY KEY (outbox_id, attempt)
);
