/**
 * Penalty decision numbers (行政处罚决定书文号), e.g. 甬综执罚决字〔2024〕第123号. The same number is
 * typed with many bracket styles, full-width digits and stray spaces; for matching we fold them
 * to one form and keep the original for display (DOMAIN.md, Identifiers). A number is unique
 * only per issuing authority, so records are keyed on (authority, normalised number).
 */

/** Opening and closing brackets written for the year, folded to the official 〔〕 (GB/T 9704). */
const OPENING = /[[(【〖﹝〔]/g;
const CLOSING = /[\])】〗﹞〕]/g;
/** Full-width ASCII forms U+FF01–U+FF5E sit exactly 0xFEE0 above their ASCII twins. */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_SHIFT = 0xfee0;
/** Any Unicode white space, including the ideographic space U+3000 and no-break space. */
const SPACE = /\s+/gu;

export function normaliseDecisionNo(decisionNo: string): string {
  return decisionNo
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_SHIFT))
    .replace(SPACE, '')
    .replace(OPENING, '〔')
    .replace(CLOSING, '〕');
}

/** Authority names get the same width and space folding; their brackets are left alone. */
export function normaliseAuthority(authority: string): string {
  return authority
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_SHIFT))
    .replace(SPACE, '');
}

/** The identity of a penalty record across cities: a JSON pair, unambiguous and readable. */
export function decisionKey(authority: string, decisionNo: string): string {
  return JSON.stringify([normaliseAuthority(authority), normaliseDecisionNo(decisionNo)]);
}
