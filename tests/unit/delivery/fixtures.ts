import type { OutboxJob } from '../../../gateway/delivery/claim';

/** A claimed outbox job for `peer` (attempt 1), as the worker's pure helpers see it. */
export const outboxJob = (id: number, peer: string): OutboxJob => ({
  id,
  message_id: `m-${id}`,
  peer,
  type: 'delegation.create',
  path: '/exchange/v1/delegations',
  delegation_id: `d-${id}`,
  attempts: 1,
  created_at: new Date(0),
});

/** The ids of each group, to compare groupings at a glance. */
export const ids = (gs: OutboxJob[][]) => gs.map((g) => g.map((j) => j.id));
