// Constants of the dashboard: polling, paging, the contracts' enumerations, and the shared state.

export const POLL_MS = 4000;
export const PAGE_SIZE = 20;
export const TOKEN_KEY = 'tongban.token';
export const API_BASE = new URL('../api/v1/', location.href);

export const CASE_STATUSES = [
  'open',
  'action_required',
  'completed',
  'partially_repaired',
  'closed',
  'withdrawn',
];
export const DELEGATION_STATUSES = [
  'submitted',
  'delivered',
  'accepted',
  'under_review',
  'materials_requested',
  'approved',
  'repaired',
  'rejected',
  'denied',
  'withdrawn',
  'failed',
];
export const DELIVERY_STATUSES = ['pending', 'in_flight', 'delivered', 'dead'];
export const SECTORS = [
  'market_supervision',
  'transport',
  'fire',
  'environment',
  'tax',
  'emergency_management',
  'urban_management',
  'other',
];
export const MEASURES = [
  'fine',
  'warning',
  'public_criticism',
  'confiscation',
  'licence_suspension',
  'licence_revocation',
  'business_suspension',
  'business_restriction',
  'occupational_ban',
  'closure',
  'other',
];
export const SEVERITIES = ['minor', 'ordinary', 'serious'];
export const MATERIAL_KINDS = [
  'application_form',
  'commitment_letter',
  'fulfilment_proof',
  'business_licence',
  'handler_id',
  'power_of_attorney',
  'rectification_evidence',
  'other',
];
export const APPLICANT_ROLES = ['legal_representative', 'agent', 'employee'];
export const SYNC_TARGETS = ['credit_china', 'necips', 'provincial_platform', 'city_platform'];
export const DEFAULT_SYNC = ['credit_china', 'necips', 'provincial_platform'];

/** Which permission each view needs (the API enforces the same; this only avoids dead ends). */
export const VIEW_PERMISSION = {
  cases: 'cases:read',
  new: 'cases:write',
  inbox: 'inbox:read',
  deliveries: 'deliveries:read',
};

export const state = {
  token: null,
  me: null,
  grants: {},
  federation: null,
  gen: 0,
  timer: null,
  kick: null,
  flash: null,
};
