/**
 * V8 flags the gateway runs with in production (Dockerfile `NODE_OPTIONS`, `npm start`), and so
 * in the bench for the gateways and the floor alike. A 32 MB young generation: a gateway
 * allocates many short-lived buffers and strings per message, and with the default (16 MB)
 * the scavenger ran often enough to be ≈ 10 % of its CPU; in A/B bench runs this cut gateway
 * CPU per delegation by ≈ 10 % for ≈ 20 MB more RSS (docs/operations.md, *Performance*).
 */
export const SERVER_NODE_FLAGS = '--max-semi-space-size=32';
