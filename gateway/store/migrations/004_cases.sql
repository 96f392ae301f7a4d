-- Registration side: cases and the delegations they were split into.
CREATE TABLE cases (
  id text PRIMARY KEY,
  uscc text NOT NULL,
  company_name text NOT NULL,
  registration_city text NOT NULL,
  status text NOT NULL,
  applicant jsonb NOT NULL,
  -- personal ID number of the handler: kept apart, never returned in lists, never logged
  applicant_id_number text,
  materials jsonb NOT NULL,
  rules_version text NOT NULL,
  request_date date NOT NULL,
  external_ref text,
  warnings jsonb NOT NULL DEFAULT '[]',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_uscc ON cases (uscc);
CREATE INDEX cases_status ON cases (status, created_at);

CREATE TABLE case_records (
  case_id text NOT NULL REFERENCES cases (id),
  idx int NOT NULL,
  record jsonb NOT NULL,
  assessment jsonb NOT NULL,
  delegation_id text,
  PRIMARY KEY (case_id, idx)
);

CREATE TABLE delegations (
  id text PRIMARY KEY,
  case_id text NOT NULL REFERENCES cases (id),
  penalising_city text NOT NULL,
  status text NOT NULL,
  -- sequence number of the last callback applied; older ones never overwrite newer ones
  seq int NOT NULL DEFAULT 0,
  reason text,
  materials_requested jsonb NOT NULL DEFAULT '[]',
  sync_targets jsonb NOT NULL DEFAULT '[]',
  record_count int NOT NULL,
  received_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delegations_case ON delegations (case_id);

-- Penalising side: delegations received from registration cities (the manual adapter's queue).
CREATE TABLE inbox_items (
  id text PRIMARY KEY,
  case_id text NOT NULL,
  registration_city text NOT NULL,
  company jsonb NOT NULL,
  records jsonb NOT NULL,
  materials jsonb NOT NULL,
  status text NOT NULL,
  seq int NOT NULL DEFAULT 0,
  reason text,
  materials_requested jsonb NOT NULL DEFAULT '[]',
  sync_targets jsonb NOT NULL DEFAULT '[]',
  received_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_status ON inbox_items (status, received_at);

-- Penalty records this city holds (answers federated penalty queries; the sandbox seeds demo data).
CREATE TABLE penalty_records (
  uscc text NOT NULL,
  authority text NOT NULL,
  decision_no_norm text NOT NULL,
  record jsonb NOT NULL,
  PRIMARY KEY (authority, decision_no_norm)
);
CREATE INDEX penalty_records_uscc ON penalty_records (uscc);
