-- Core bookkeeping shared by every module.
CREATE TABLE gateway_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Last good copy of each peer's key set and signed metadata (used when the peer is unreachable).
CREATE TABLE peer_cache (
  city text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('jwks', 'metadata')),
  body jsonb NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city, kind)
);
