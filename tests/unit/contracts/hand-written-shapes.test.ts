import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CityConfig } from '../../../gateway/config/city-config';
import { MEASURE_TYPES, OUTCOMES, SECTORS, TIERS } from '../../../gateway/rules/types';
import { MESSAGE_TYPES } from '../../../gateway/signing';
import { ENVELOPE_MEMBERS } from '../../../gateway/signing/verify/check-shape';

const root = join(__dirname, '..', '..', '..');
const exchange = parse(readFileSync(join(root, 'contracts', 'exchange.v1.yaml'), 'utf8')) as {
  components: {
    schemas: Record<string, { enum?: string[]; properties?: object; required?: string[] }>;
  };
};
const liaison = parse(readFileSync(join(root, 'contracts', 'liaison.v1.yaml'), 'utf8')) as {
  components: {
    schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
  };
};
const citySchema = JSON.parse(
  readFileSync(join(root, 'contracts', 'city-config.schema.json'), 'utf8'),
) as {
  properties: object;
};

/**
 * The few shapes kept by hand next to the contracts (the signing pipeline's envelope check, which
 * is stricter than JSON Schema; the city config type) must name exactly what the contracts name.
 */
describe('hand-written shapes stay in step with the contracts', () => {
  it('message types are the exchange contract MessageType enum', () => {
    expect([...MESSAGE_TYPES].sort()).toEqual(
      [...exchange.components.schemas.MessageType!.enum!].sort(),
    );
  });

  it("the rules' enumerations are the contracts' (sector, measure, severity, outcome)", () => {
    const ex = exchange.components.schemas;
    expect([...SECTORS].sort()).toEqual([...ex.Sector!.enum!].sort());
    expect([...MEASURE_TYPES].sort()).toEqual([...ex.MeasureType!.enum!].sort());
    expect([...TIERS].sort()).toEqual([...ex.Severity!.enum!].sort());
    const outcome = liaison.components.schemas.Assessment!.properties!.outcome!.enum!;
    expect([...OUTCOMES].sort()).toEqual([...outcome].sort());
  });

  it('the envelope check knows exactly the members of the contract Envelope', () => {
    const env = exchange.components.schemas.Envelope!;
    expect([...ENVELOPE_MEMBERS].sort()).toEqual(Object.keys(env.properties!).sort());
  });

  it('the CityConfig type has every property of city-config.schema.json and no other', () => {
    // A key missing here or unknown to CityConfig fails type checking (npm run typecheck).
    const keys: Record<keyof CityConfig, true> = {
      id: true,
      name: true,
      province: true,
      timezone: true,
      member: true,
      gateway: true,
      keys: true,
      adapter: true,
      categories: true,
      sla: true,
      intake: true,
      auth: true,
      contacts: true,
    };
    expect(Object.keys(keys).sort()).toEqual(Object.keys(citySchema.properties).sort());
  });
});
