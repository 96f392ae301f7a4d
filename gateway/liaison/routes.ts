import { Router } from 'express';
import { authenticate, requirePermission } from '../auth/authenticate';
import { checkEligibility } from '../cases/assess';
import { getCase, listCases } from '../cases/case-queries';
import { decide } from '../cases/decide';
import { getInboxItem, listInbox } from '../cases/inbox-queries';
import { createCase } from '../cases/intake';
import { replayDelivery, supplyMaterials, withdrawCase } from '../cases/registration-actions';
import { caseTimeline, messageDetail } from '../cases/timeline';
import { casePlatformAnswers } from '../cases/platform-answers';
import type { CaseStatus } from '../cases/case-status';
import type { DelegationStatus } from '../cases/transitions';
import type { CaseCreate, DecisionWire, DeliveryWire, EligibilityRequest } from '../cases/types';
import { getDelivery, listDeliveries } from '../delivery/queries';
import { validateRequest as v } from '../http/validate-request';
import type { Gateway } from '../runtime/context';
import { casesCsv } from './csv';
import { federationStatus } from './federation';
import { lookupPenalties } from './penalty-lookup';

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** A case with its signed-message timeline and what platforms answered (CaseDetail). */
async function caseDetail(gw: Gateway, c: Awaited<ReturnType<typeof getCase>>) {
  const [timeline, platformAnswers] = await Promise.all([
    caseTimeline(gw, c.id),
    casePlatformAnswers(gw, c.id),
  ]);
  return { ...c, timeline, platformAnswers };
}

/** The officers' API (contracts/liaison.v1.yaml). Every route: bearer token, role check, contract validation. */
export function liaisonRouter(gw: Gateway): Router {
  const r = Router();
  r.use(authenticate(gw.verifyToken));
  // Officers' data is per token and changes constantly: never cached by browsers or proxies.
  r.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  const can = requirePermission;

  r.get('/me', v('getMe'), (req, res) => {
    res.json(req.principal);
  });

  r.post('/cases', can('cases:write'), v('createCase'), async (req, res) => {
    const id = await createCase(gw, req.principal!, req.body as CaseCreate);
    res
      .status(201)
      .location(`/api/v1/cases/${id}`)
      .json(await getCase(gw, id));
  });
  r.get('/cases', can('cases:read'), v('listCases'), async (req, res) => {
    const q = req.query;
    res.json(
      await listCases(gw, {
        status: str(q.status) as CaseStatus | undefined,
        penalisingCity: str(q.penalisingCity),
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        q: str(q.q),
        page: Number(q.page ?? 1),
        pageSize: Number(q.pageSize ?? 20),
      }),
    );
  });
  r.get('/cases/export.csv', can('cases:export'), v('exportCases'), async (req, res) => {
    const list = await listCases(gw, {
      status: str(req.query.status) as CaseStatus | undefined,
      q: str(req.query.q),
      page: 1,
      pageSize: 100_000,
    });
    res
      .type('text/csv; charset=utf-8')
      .attachment(`tongban-cases-${gw.self.id}.csv`)
      .send(casesCsv(list.items));
  });
  r.get('/cases/:id', can('cases:read'), v('getCase'), async (req, res) => {
    const c = await getCase(gw, String(req.params.id));
    res.json(await caseDetail(gw, c));
  });
  r.post('/cases/:id/withdrawal', can('cases:write'), v('withdrawCase'), async (req, res) => {
    await withdrawCase(
      gw,
      req.principal!,
      String(req.params.id),
      str((req.body as { reason?: string }).reason),
    );
    const c = await getCase(gw, String(req.params.id));
    res.json(await caseDetail(gw, c));
  });
  r.post(
    '/delegations/:id/materials',
    can('cases:write'),
    v('supplyDelegationMaterials'),
    async (req, res) => {
      const b = req.body as { materials: CaseCreate['materials']; note?: string };
      await supplyMaterials(gw, req.principal!, String(req.params.id), b.materials, b.note);
      const row = await gw.store.query<{ case_id: string }>(
        'SELECT case_id FROM delegations WHERE id = $1',
        [req.params.id],
      );
      const c = await getCase(gw, row.rows[0]!.case_id);
      res.json(c.delegations.find((d) => d.id === req.params.id));
    },
  );

  r.get('/inbox', can('inbox:read'), v('listInbox'), async (req, res) => {
    res.json({ items: await listInbox(gw, str(req.query.status) as DelegationStatus | undefined) });
  });
  r.get('/inbox/:id', can('inbox:read'), v('getInboxItem'), async (req, res) => {
    res.json(await getInboxItem(gw, String(req.params.id)));
  });
  r.post('/inbox/:id/decision', can('inbox:decide'), v('decideInboxItem'), async (req, res) => {
    await decide(gw, req.principal!, String(req.params.id), req.body as DecisionWire);
    res.json(await getInboxItem(gw, String(req.params.id)));
  });

  r.post('/eligibility', can('cases:read'), v('checkEligibility'), (req, res) => {
    res.json(
      checkEligibility(
        gw.cities,
        req.body as EligibilityRequest,
        gw.now(),
        gw.self.intake?.allowNotYetEligible === true,
      ),
    );
  });
  r.post('/penalty-lookup', can('cases:read'), v('lookupPenalties'), async (req, res) => {
    const b = req.body as { uscc: string; timeoutMs?: number };
    res.json(await lookupPenalties(gw, b.uscc, b.timeoutMs ?? 3000));
  });

  r.get('/deliveries', can('deliveries:read'), v('listDeliveries'), async (req, res) => {
    res.json({
      items: await listDeliveries(gw, str(req.query.status) as DeliveryWire['status'] | undefined),
    });
  });
  r.post(
    '/deliveries/:id/replay',
    can('deliveries:replay'),
    v('replayDelivery'),
    async (req, res) => {
      const id = Number(req.params.id);
      await replayDelivery(gw, req.principal!, id);
      res.json(await getDelivery(gw, id));
    },
  );

  r.get('/messages/:id', can('cases:read'), v('getMessage'), async (req, res) => {
    res.json(await messageDetail(gw, String(req.params.id)));
  });
  // Cities, checkpoint and witness status: every role (the checkpoint is public at /ledger/v1 anyway).
  r.get('/federation', v('getFederation'), async (_req, res) => {
    res.json(await federationStatus(gw));
  });
  return r;
}
