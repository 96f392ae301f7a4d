/** Read one penalty record from the request, field by field (see fields.ts). */
import { cityOfDivision } from '../division';
import { MEASURE_TYPES, SECTORS, TIERS, type Measure, type PenaltyRecord } from '../types';
import {
  asArray,
  asBoolean,
  asDate,
  asDivision,
  asEnum,
  asObject,
  asText,
  invalid,
} from './fields';

export function parseRecord(raw: unknown, index: number): PenaltyRecord {
  const at = `/records/${index}`;
  const r = asObject(raw, at);
  const record: PenaltyRecord = {
    issuingCity: asDivision(r.issuingCity, `${at}/issuingCity`),
    authority: asText(r.authority, `${at}/authority`),
    sector: asEnum(SECTORS, r.sector, `${at}/sector`),
    decisionNo: asText(r.decisionNo, `${at}/decisionNo`),
    decisionDate: asDate(r.decisionDate, `${at}/decisionDate`),
    publicityStartDate: asDate(r.publicityStartDate, `${at}/publicityStartDate`),
    measures: parseMeasures(r.measures, `${at}/measures`),
    severity: asEnum(TIERS, r.severity, `${at}/severity`),
    otherObligationsFulfilled: asBoolean(
      r.otherObligationsFulfilled,
      `${at}/otherObligationsFulfilled`,
    ),
  };
  if (r.ref !== undefined) record.ref = asText(r.ref, `${at}/ref`);
  if (r.issuingDivision !== undefined) {
    record.issuingDivision = asDivision(r.issuingDivision, `${at}/issuingDivision`);
    // A division of another city would send the delegation to the wrong authority.
    if (cityOfDivision(record.issuingDivision) !== cityOfDivision(record.issuingCity)) {
      throw invalid(
        `${at}/issuingDivision`,
        `${at}/issuingDivision is not in the city ${record.issuingCity}`,
      );
    }
  }
  if (r.fineCny !== undefined) record.fineCny = parseFine(r.fineCny, `${at}/fineCny`);
  if (r.finePaidDate !== undefined && r.finePaidDate !== null) {
    record.finePaidDate = asDate(r.finePaidDate, `${at}/finePaidDate`);
  }
  // Publicity follows the decision; the reverse is a data error that would shift every period.
  if (record.publicityStartDate < record.decisionDate) {
    throw invalid(
      `${at}/publicityStartDate`,
      `${at}/publicityStartDate is before the decision date`,
    );
  }
  return record;
}

function parseMeasures(value: unknown, pointer: string): Measure[] {
  const list = asArray(value, pointer);
  if (list.length === 0) throw invalid(pointer, `${pointer} must list at least one measure`);
  return list.map((raw, i) => {
    const m = asObject(raw, `${pointer}/${i}`);
    const measure: Measure = { type: asEnum(MEASURE_TYPES, m.type, `${pointer}/${i}/type`) };
    if (m.severity !== undefined)
      measure.severity = asEnum(TIERS, m.severity, `${pointer}/${i}/severity`);
    return measure;
  });
}

function parseFine(value: unknown, pointer: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(pointer, `${pointer} must be an amount in CNY ≥ 0`);
  }
  return value;
}
