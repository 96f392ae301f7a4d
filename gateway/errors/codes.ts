/**
 * Every stable machine-readable error code Tongban can answer with, and its HTTP status.
 * One table, one place: the contracts list the same codes (a registry test keeps them in step)
 * and docs/errors.md documents each one.
 */
export const ERROR_STATUS = {
  // request shape (RFC 9457 problems for client mistakes)
  malformed_json: 400,
  validation_failed: 400,
  invalid_parameter: 400,
  invalid_uscc: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // authentication and authorisation of officers
  unauthenticated: 401,
  forbidden: 403,
  // signed exchange refusals
  signature_missing: 401,
  signature_malformed: 400,
  unknown_sender: 401,
  unknown_key: 401,
  bad_signature: 401,
  algorithm_not_allowed: 401,
  wrong_audience: 403,
  stale_message: 401,
  type_mismatch: 400,
  contract_mismatch: 409,
  message_id_reused: 409,
  // domain
  illegal_transition: 409,
  stale_callback: 409,
  conflict: 409,
  try_again: 409,
  not_routable: 422,
  not_eligible: 422,
  // ledger
  ledger_range: 400,
  ledger_inconsistent: 500,
  // infrastructure
  peer_unreachable: 502,
  peer_refused: 502,
  not_ready: 503,
  config_invalid: 500,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
