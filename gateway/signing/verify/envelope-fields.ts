/** Field formats of the exchange contract's `Envelope` (contracts/exchange.v1.yaml). */

/** RFC 9562 §4 UUID text, lower case only: `id` is an idempotency key, so one spelling. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `CityId`: 6-digit GB/T 2260 division code. */
export const CITY_ID = /^[1-8][0-9]{5}$/;

/** `ContractRef.digest`. */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

// RFC 3339 §5.6 date-time restricted to UTC ("Z"), with optional fractional seconds.
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** True for an RFC 3339 UTC timestamp naming a real instant (no 2026-02-30, no 24:00). */
export function isRfc3339Utc(text: string): boolean {
  const m = RFC3339_UTC.exec(text);
  if (!m) return false;
  const ms = Date.parse(text);
  // Date.parse rolls 02-30 over to 03-02; comparing the fields back refuses it.
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19);
}
