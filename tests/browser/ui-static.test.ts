import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { parse } from 'yaml';
import request from 'supertest';
import { ROLES, can } from '../../gateway/auth/roles';
import type { Gateway } from '../../gateway/runtime/context';
import { staticDir, uiRouter } from '../../gateway/ui/router';

/** The dashboard's server side and dictionary, without a browser (runs everywhere). */

/** The page's scripts: the entry point and the modules it imports from js/. */
const scripts = () => [
  'app.js',
  ...readdirSync(join(staticDir(), 'js'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `js/${f}`),
];

const app = express();
app.use('/ui', uiRouter({} as Gateway));
app.use((_req, res) => {
  res.status(404).json({ code: 'not_found' });
});

describe('dashboard static files (/ui)', () => {
  it('redirects /ui to /ui/ (relative asset URLs), keeping the query', async () => {
    const res = await request(app).get('/ui?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/ui/?x=1');
  });

  it('serves the page with a strict CSP and no caching surprises', async () => {
    const res = await request(app).get('/ui/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<script type="module" src="app.js">');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
    for (const f of [...scripts(), 'i18n.js', 'styles.css']) {
      const r = await request(app).get(`/ui/${f}`);
      expect(r.status).toBe(200);
    }
    for (const f of scripts()) {
      expect((await request(app).get(`/ui/${f}`)).headers['content-type']).toMatch(/javascript/);
    }
  });

  it('loads nothing from another origin', () => {
    for (const f of ['index.html', ...scripts(), 'styles.css']) {
      const text = readFileSync(join(staticDir(), f), 'utf8');
      expect(text).not.toMatch(/(src|href)=["']https?:/);
      expect(text).not.toMatch(/@import|url\(\s*['"]?https?:/);
    }
  });

  it('publishes the role table the server enforces', async () => {
    const res = await request(app).get('/ui/permissions.json');
    expect(res.status).toBe(200);
    for (const role of ROLES) {
      for (const p of res.body[role] as string[]) expect(can(role, p as never)).toBe(true);
    }
    expect(res.body.auditor).not.toContain('inbox:decide');
    expect(res.body.supervisor).toContain('deliveries:replay');
    expect(res.body.officer).not.toContain('cases:export');
  });

  it('does not serve files outside the static directory', async () => {
    expect((await request(app).get('/ui/../router.ts')).status).toBe(404);
    expect((await request(app).get('/ui/%2e%2e/router.ts')).status).toBe(404);
  });
});

describe('dashboard dictionary', () => {
  const block = (name: string) => {
    const src = readFileSync(join(staticDir(), 'js', `i18n-${name}.js`), 'utf8');
    const m = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\n\\};`).exec(src);
    return new Set([...(m?.[1] ?? '').matchAll(/^ {2}'?([\w.]+)'?:/gm)].map((x) => x[1]!));
  };
  const zh = block('zh');
  const en = block('en');

  it('has every label in both languages', () => {
    expect(zh.size).toBeGreaterThan(100);
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('has every label the page asks for', () => {
    const code = scripts()
      .map((f) => readFileSync(join(staticDir(), f), 'utf8'))
      .join('\n');
    expect(code).toContain("t('nav.cases')");
    const used = new Set([...code.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!));
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  const schemas = (file: string) =>
    (
      parse(readFileSync(join(__dirname, '..', '..', 'contracts', file), 'utf8')) as {
        components: {
          schemas: Record<
            string,
            { enum?: string[]; properties?: Record<string, { enum?: string[] }> }
          >;
        };
      }
    ).components.schemas;
  const ex = schemas('exchange.v1.yaml');
  const li = schemas('liaison.v1.yaml');

  it("offers exactly the contracts' values in its lists (config.js)", () => {
    const src = readFileSync(join(staticDir(), 'js', 'config.js'), 'utf8');
    const list = (name: string) => {
      const m = new RegExp(`export const ${name} = \\[([^\\]]*)\\]`).exec(src);
      return [...(m?.[1] ?? '').matchAll(/'([\w.]+)'/g)].map((x) => x[1]!).sort();
    };
    const pairs: [string, string[] | undefined][] = [
      ['CASE_STATUSES', li.CaseStatus?.enum],
      ['DELEGATION_STATUSES', ex.DelegationStatus?.enum],
      ['DELIVERY_STATUSES', li.DeliveryStatus?.enum],
      ['SECTORS', ex.Sector?.enum],
      ['MEASURES', ex.MeasureType?.enum],
      ['SEVERITIES', ex.Severity?.enum],
      ['MATERIAL_KINDS', ex.Material?.properties?.kind?.enum],
      ['APPLICANT_ROLES', li.Applicant?.properties?.role?.enum],
      ['SYNC_TARGETS', ex.SyncTarget?.enum],
    ];
    for (const [name, values] of pairs) {
      expect(values?.length).toBeGreaterThan(0);
      expect([name, list(name)]).toEqual([name, [...values!].sort()]);
    }
  });

  it("labels every value of the contracts' enumerations", () => {
    const want: [string, string[] | undefined][] = [
      ['status.case', li.CaseStatus?.enum],
      ['status.del', ex.DelegationStatus?.enum],
      ['status.delivery', li.DeliveryStatus?.enum],
      ['action', li.DecisionAction?.enum],
      ['sync', ex.SyncTarget?.enum],
      ['msg', ex.MessageType?.enum],
      ['sector', ex.Sector?.enum],
      ['measure', ex.MeasureType?.enum],
      ['severity', ex.Severity?.enum],
      ['material', ex.Material?.properties?.kind?.enum],
      ['applicantRole', li.Applicant?.properties?.role?.enum],
      ['outcome', li.Assessment?.properties?.outcome?.enum],
      ['platformOp', li.PlatformAnswer?.properties?.operation?.enum],
    ];
    const lookup = li.PenaltyLookupResult?.properties?.results as unknown as {
      items?: { properties?: { status?: { enum?: string[] } } };
    };
    want.push(['lookupStatus', lookup?.items?.properties?.status?.enum]);
    const federation = li.Federation?.properties as unknown as Record<
      string,
      { items?: { properties?: Record<string, { enum?: string[] }> } }
    >;
    want.push(['witness', federation?.witnesses?.items?.properties?.status?.enum]);
    want.push(['adapterKind', federation?.cities?.items?.properties?.adapter?.enum]);
    const missing = want.flatMap(([prefix, values]) => {
      expect(values?.length).toBeGreaterThan(0);
      return (values ?? []).map((v) => `${prefix}.${v}`).filter((k) => !zh.has(k));
    });
    expect(missing).toEqual([]);
  });
});
