import merkle from '../../../vectors/merkle-rfc6962.json';
import notes from '../../../vectors/signed-note-c2sp.json';

export const merkleVectors = merkle;
export const noteVectors = notes;

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** Hex for comparisons: jest's deep equality on typed arrays is slow in big loops. */
export const toHexAll = (hs: readonly Uint8Array[]): string[] =>
  hs.map((h) => Buffer.from(h).toString('hex'));
