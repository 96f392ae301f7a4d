const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `250ms`, `10s`, `5m`, `72h`, `3d`, or a bare number of milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m)
    throw new Error(
      `${what}: expected a duration such as 500ms, 10s, 5m, 72h or 3d, got ${JSON.stringify(text)}`,
    );
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!);
}

/** Peer URL overrides: `330100=http://127.0.0.1:8081` items, or a JSON object of city → URL. */
export function parsePeerUrls(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (city: string, url: string) => {
    if (!/^\d{6}$/.test(city))
      throw new Error(`peer URL: ${JSON.stringify(city)} is not a 6-digit city code`);
    if (!/^https?:\/\/[^\s]+$/.test(url))
      throw new Error(`peer URL of ${city}: expected http(s)://…, got ${JSON.stringify(url)}`);
    out[city] = url.replace(/\/+$/, '');
  };
  for (const raw of items) {
    const item = raw.trim();
    if (!item) continue;
    if (item.startsWith('{')) {
      const obj = JSON.parse(item) as Record<string, unknown>;
      for (const [city, url] of Object.entries(obj)) put(city, String(url));
      continue;
    }
    for (const pair of item.split(',')) {
      const i = pair.indexOf('=');
      if (i < 0) throw new Error(`peer URL: expected city=url, got ${JSON.stringify(pair)}`);
      put(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  return out;
}
