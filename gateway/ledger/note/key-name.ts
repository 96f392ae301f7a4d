// C2SP signed-note "Format": key names are non-empty and contain no Unicode spaces and no '+'
// (the vkey separator). U+0085 is listed because JavaScript's \s omits it.
const FORBIDDEN = /[\s\u0085+]/u;

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !FORBIDDEN.test(name);
}

/**
 * C2SP signed-note: valid UTF-8 with no ASCII control characters other than newline. A JS
 * string is UTF-16, so "valid UTF-8" means no lone surrogates (\p{Cs} matches only those in
 * u-mode, since pairs are read as one code point).
 */
export function isCleanNoteText(s: string): boolean {
  if (/\p{Cs}/u.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return false;
  }
  return true;
}
