import { adapterFor } from '../../adapters';
import { recordAdapterAnswer } from '../../adapters/ledger-entry';
import { appendMessage } from '../exchange/ledger-port';
import { newEnvelope } from '../exchange/outbound';
import { verifyContext } from '../exchange/verify-context';
import { callPeer, problemDetail } from '../exchange/peer-client';
import { recordMessage } from '../exchange/record-message';
import { assertUscc } from '../rules';
import type { Gateway } from '../runtime/context';
import { sha256Digest, signEnvelope, verifyEnvelope } from '../signing';
import type { PenaltyAnswerBody } from '../cases/types';

type Result = {
  city: string;
  cityName: string;
  status: 'ok' | 'error' | 'timeout';
  records?: PenaltyAnswerBody['records'];
  error?: string;
  ms: number;
};

/** One signed query and its signed answer, both kept in the ledger. */
async function queryOne(
  gw: Gateway,
  city: string,
  uscc: string,
  timeoutMs: number,
): Promise<Result> {
  const started = Date.now();
  const cityName = gw.cities.nameOf(city);
  const url = gw.cities.gatewayUrl(city);
  if (!url) return { city, cityName, status: 'error', error: 'no gateway URL', ms: 0 };
  const env = newEnvelope(gw, 'penalty.query', city, { uscc });
  const signed = signEnvelope(env, gw.key);
  await gw.store.tx(async (q) => {
    const idx = await appendMessage(q, signed.bytes, 'message', env.id);
    await recordMessage(q, {
      env,
      direction: 'out',
      kid: gw.key.kid,
      digest: sha256Digest(signed.bytes),
      ledgerIndex: idx,
    });
  });
  try {
    const res = await callPeer(`${url}/exchange/v1/penalty-queries`, {
      method: 'POST',
      body: signed.bytes,
      timeoutMs,
      maxBytes: gw.settings.bodyLimitBytes,
    });
    if (res.status !== 200)
      return {
        city,
        cityName,
        status: 'error',
        error: problemDetail(res),
        ms: Date.now() - started,
      };
    const v = await verifyEnvelope(res.body, verifyContext(gw, 'penalty.answer', city));
    gw.contracts.assertValid(
      gw.contracts.schemaValidator('exchange', 'PenaltyAnswer'),
      v.envelope.body,
      '/body',
      'penalty answer',
    );
    await gw.store.tx(async (q) => {
      const idx = await appendMessage(q, res.body, 'message', v.envelope.id);
      await recordMessage(q, {
        env: v.envelope,
        direction: 'in',
        kid: v.header.kid,
        digest: v.digest,
        ledgerIndex: idx,
      });
    });
    return {
      city,
      cityName,
      status: 'ok',
      records: (v.envelope.body as PenaltyAnswerBody).records,
      ms: Date.now() - started,
    };
  } catch (e) {
    const msg = (e as Error).message;
    const timedOut = /timeout/i.test(msg);
    return {
      city,
      cityName,
      status: timedOut ? 'timeout' : 'error',
      error: msg,
      ms: Date.now() - started,
    };
  }
}

/** A member without a gateway is asked through its platform adapter; its answer is ledgered. */
async function queryPlatform(
  gw: Gateway,
  city: string,
  uscc: string,
  timeoutMs: number,
): Promise<Result> {
  const started = Date.now();
  const cityName = gw.cities.nameOf(city);
  const adapter = adapterFor(gw, city);
  if (!adapter) return { city, cityName, status: 'error', error: 'no adapter', ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      adapter.lookupPenalties(uscc),
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)),
      ),
    ]);
    await gw.store.tx((q) =>
      recordAdapterAnswer(q, { at: gw.now().toISOString(), evidence: answered.evidence }),
    );
    return { city, cityName, status: 'ok', records: answered.value, ms: Date.now() - started };
  } catch (e) {
    const msg = (e as Error).message;
    return {
      city,
      cityName,
      status: msg === 'timeout' ? 'timeout' : 'error',
      error: msg,
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Federated penalty lookup (the agreement's information sharing): ask every member city in
 * parallel, each within `timeoutMs`, and return each city's answer or error.
 */
export async function lookupPenalties(gw: Gateway, uscc: string, timeoutMs: number) {
  assertUscc(uscc, '/uscc');
  const results = await Promise.all(
    gw.cities.members().map((c) =>
      gw.cities.gatewayUrl(c)
        ? queryOne(gw, c, uscc, timeoutMs)
        : gw.cities.get(c)?.adapter.kind === 'rest'
          ? queryPlatform(gw, c, uscc, timeoutMs)
          : Promise.resolve<Result>({
              city: c,
              cityName: gw.cities.nameOf(c),
              status: 'error',
              error: 'no gateway or platform',
              ms: 0,
            }),
    ),
  );
  gw.kickCheckpoint();
  return { uscc, results };
}
