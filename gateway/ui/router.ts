import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { ROLES, can, type Permission } from '../auth/roles';
import type { Gateway } from '../runtime/context';

/**
 * Every permission the dashboard asks about. Typed against the server's `Permission` union, so a
 * renamed permission breaks the build; the grants themselves come from `can()` (roles.ts).
 */
const UI_PERMISSIONS = [
  'cases:read',
  'cases:write',
  'cases:export',
  'inbox:read',
  'inbox:decide',
  'deliveries:read',
  'deliveries:replay',
  'ledger:read',
] as const satisfies readonly Permission[];

/** What each role may do, as the page needs it to show or hide controls (the API still decides). */
export function rolePermissions(): Record<string, Permission[]> {
  return Object.fromEntries(ROLES.map((r) => [r, UI_PERMISSIONS.filter((p) => can(r, p))]));
}

/** The page's own files: next to this module when run from source, or the source tree from dist/. */
export function staticDir(): string {
  const candidates = [
    join(__dirname, 'static'),
    join(__dirname, '..', '..', '..', 'gateway', 'ui', 'static'),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0]!;
}

/**
 * Content-Security-Policy of the dashboard: only this gateway's own scripts, styles and API; no
 * inline script, no frames, no third-party origins (everything is served locally).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The liaison dashboard (issue 8): a static single-page app at /ui/ that talks to /api/v1 with
 * the officer's bearer token. No server-side rendering and no session: the page is the same
 * for everyone; what an officer sees is what the API returns for their token.
 */
export function uiRouter(_gw: Gateway): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CSP,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      // Revalidate every time (ETag): a new gateway version never runs with a stale app.js.
      'Cache-Control': 'no-cache',
    });
    next();
  });
  // `/ui` → `/ui/` so that the page's relative URLs (app.js, styles.css) resolve under /ui/.
  r.get('/', (req, res, next) => {
    const [path, query] = req.originalUrl.split('?', 2);
    if (path && !path.endsWith('/')) {
      res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
      return;
    }
    next();
  });
  r.get('/permissions.json', (_req, res) => {
    res.json(rolePermissions());
  });
  r.use(express.static(staticDir(), { index: 'index.html', redirect: false, fallthrough: true }));
  return r;
}
