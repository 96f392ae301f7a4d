import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GatewayAdapter } from '../../../adapters/gateway/gateway-adapter';
import { ManualAdapter } from '../../../adapters/manual/manual-adapter';
import { RestAdapter } from '../../../adapters/rest/rest-adapter';
import type { CityAdapter, Outgoing } from '../../../adapters/types';
import { decide } from '../../../gateway/cases/decide';
import {
  ACTION_TARGET,
  type DecisionAction,
  type DelegationStatus,
} from '../../../gateway/cases/transitions';
import type { CityConfig, RestAdapterOptions } from '../../../gateway/config/city-config';
import { DEFAULT_CITY_CONFIG_DIR } from '../../../gateway/config/paths';
import { contracts } from '../../../gateway/http/contracts';
import type { Gateway } from '../../../gateway/runtime/context';
import { seedDemoPenalties } from '../../../gateway/sandbox/demo-data';
import {
  generateCityKey,
  signEnvelope,
  type CityKey,
  type Envelope,
  type MessageType,
} from '../../../gateway/signing';
import { DEMO_PLATFORM_PENALTIES } from '../../../gateway/simulator/demo';
import { startPlatformSimulator } from '../../../gateway/simulator/server';
import { startFederation } from '../../support/federation';
import { api } from '../../support/http';

export const HARBIN = '230100';
export const HANGZHOU = '330100';
export const GUANGZHOU = '440100';

/** What the contract suite needs of one adapter kind: the adapter and a way to drive the far side. */
export interface AdapterHarness {
  adapter: CityAdapter;
  expectedMode: 'push' | 'pull';
  /** The registration city's signed message, as the outbox holds it. */
  sign<B>(type: MessageType, body: B, caseRef?: string): Outgoing<B>;
  registrationCity: string;
  penalisingCity: string;
  /** The penalising city decides (officers, or the platform's own officers). */
  decide(
    delegationId: string,
    to: DelegationStatus,
    extra?: { reason?: string; materialsRequested?: string[] },
  ): Promise<void>;
  /** A company with a record there, and the record's decision number. */
  penalties: { uscc: string; decisionNo: string };
  close(): Promise<void>;
}

function signer(from: string, to: string, key: CityKey, now: () => Date) {
  return <B>(type: MessageType, body: B, caseRef?: string): Outgoing<B> => {
    const envelope: Envelope<B> = {
      id: crypto.randomUUID(),
      type,
      from,
      to,
      contract: contracts().refs.exchange,
      issuedAt: now().toISOString(),
      ...(caseRef ? { caseRef } : {}),
      body,
    };
    return { envelope, bytes: signEnvelope(envelope, key).bytes };
  };
}

const ACTION_OF = Object.fromEntries(
  Object.entries(ACTION_TARGET).map(([a, s]) => [s, a]),
) as Record<string, DecisionAction>;

/** Manual and gateway kinds: Harbin (registration) and Hangzhou (penalising) on loopback. */
async function tongbanPair(kind: 'manual' | 'gateway'): Promise<AdapterHarness> {
  const fed = await startFederation([HARBIN, HANGZHOU]);
  const harbin = fed.gw[HARBIN]!.gw;
  const hangzhou: Gateway = fed.gw[HANGZHOU]!.gw;
  await seedDemoPenalties(hangzhou.store, HANGZHOU);
  return {
    adapter: kind === 'manual' ? new ManualAdapter(hangzhou) : new GatewayAdapter(harbin, HANGZHOU),
    expectedMode: 'push',
    sign: signer(HARBIN, HANGZHOU, harbin.key, () => new Date()),
    registrationCity: HARBIN,
    penalisingCity: HANGZHOU,
    async decide(id, to, extra = {}) {
      await decide(hangzhou, { sub: 'officer-1', city: HANGZHOU, role: 'officer' }, id, {
        action: ACTION_OF[to]!,
        ...extra,
      });
    },
    penalties: { uscc: '91350100M000100Y43', decisionNo: '杭交执罚〔2025〕第0815号' },
    close: () => fed.close(),
  };
}

export function guangzhouOptions(): RestAdapterOptions {
  const c = parse(
    readFileSync(join(DEFAULT_CITY_CONFIG_DIR, `${GUANGZHOU}.yaml`), 'utf8'),
  ) as CityConfig;
  return c.adapter.options as unknown as RestAdapterOptions;
}

/** Rest kind: the simulated Guangzhou platform and the shipped 440100 mapping. */
async function restPlatform(): Promise<AdapterHarness> {
  const sim = await startPlatformSimulator({ seed: DEMO_PLATFORM_PENALTIES });
  const options = guangzhouOptions();
  const code = (s: DelegationStatus) =>
    Object.entries(options.statusCodes).find(([, v]) => v === s)![0];
  return {
    adapter: new RestAdapter(GUANGZHOU, options, {
      timezone: 'Asia/Shanghai',
      baseUrl: sim.url,
      env: {},
    }),
    expectedMode: 'pull',
    sign: signer(HARBIN, GUANGZHOU, generateCityKey().cityKey, () => new Date()),
    registrationCity: HARBIN,
    penalisingCity: GUANGZHOU,
    async decide(id, to, extra = {}) {
      const r = await api(sim.url, 'POST', `/admin/sq/${id}/zt`, {
        json: { zt: code(to), yy: extra.reason, bzcl: extra.materialsRequested },
      });
      if (r.status !== 200) throw new Error(`platform refused ${to}: ${r.text}`);
    },
    penalties: { uscc: '91350100M000100Y43', decisionNo: '穗市监罚〔2026〕88号' },
    close: () => sim.close(),
  };
}

export const HARNESSES: [string, () => Promise<AdapterHarness>][] = [
  ['manual (Tongban inbox, in process)', () => tongbanPair('manual')],
  ['gateway (signed exchange over HTTP)', () => tongbanPair('gateway')],
  ['rest (simulated city platform, mapped)', restPlatform],
];
