-- 005_delivery: hardening of the outbox (docs/delivery.md).

-- Which worker (host/pid/nonce) holds the lease of an in-flight row, and which one made each
-- attempt: operators can see who holds what, and replicas sharing one schema can be audited.
ALTER TABLE outbox ADD COLUMN claimed_by text;
ALTER TABLE delivery_attempts ADD COLUMN worker text;

-- Per-delegation FIFO: a row is claimable only when no earlier row of the same delegation is
-- still pending or in flight. This index answers that question.
CREATE INDEX outbox_delegation_open ON outbox (delegation_id, id)
  WHERE status IN ('pending', 'in_flight') AND delegation_id IS NOT NULL;

-- Queue depth per peer (metrics) and the budget sweep.
CREATE INDEX outbox_peer_open ON outbox (peer, status, created_at)
  WHERE status IN ('pending', 'in_flight');
