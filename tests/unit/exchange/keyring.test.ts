import { CityDirectory } from '../../../gateway/config/city-directory';
import type { CityConfig, PublicJwk } from '../../../gateway/config/city-config';
import { Keyring } from '../../../gateway/exchange/keyring';
import { generateCityKey, jwkThumbprint } from '../../../gateway/signing';

/** The Edwards identity point as an Ed25519 public key: every "signature" would verify. */
const identityX = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]).toString('base64url');
const smallOrder: PublicJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: identityX,
  kid: jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x: identityX }),
  alg: 'EdDSA',
  use: 'sig',
};

function cities(pinned: PublicJwk[]): CityDirectory {
  const config: CityConfig = {
    id: '999900',
    name: { zh: '测试市', en: 'Testcity' },
    timezone: 'Asia/Shanghai',
    gateway: { url: 'http://127.0.0.1:1' },
    keys: { pinned },
    adapter: { kind: 'gateway' },
    categories: ['administrative_penalty'],
    sla: {},
  };
  return new CityDirectory([{ file: 'test.yaml', config }]);
}

describe('Keyring: only usable keys', () => {
  it('refuses to start with a pinned key of small order, naming the city', () => {
    expect(() => new Keyring(cities([smallOrder]))).toThrow(
      expect.objectContaining({
        code: 'config_invalid',
        message: expect.stringMatching(/City 999900 pins a key that cannot be used: .*small-order/),
      }),
    );
  });

  it('refuses a pinned key whose kid is not its thumbprint', () => {
    const k = generateCityKey();
    expect(() => new Keyring(cities([{ ...k.publicJwk, kid: 'k1' }]))).toThrow(/thumbprint/);
  });

  it('leaves a fetched key of small order out and keeps the others', () => {
    const pinned = generateCityKey();
    const good = generateCityKey();
    const ring = new Keyring(cities([pinned.publicJwk]));
    ring.setFetched('999900', { keys: [smallOrder, good.publicJwk] });
    expect(ring.resolve('999900', smallOrder.kid)).toBeUndefined();
    expect(ring.resolve('999900', good.cityKey.kid)?.export({ format: 'jwk' }).x).toBe(
      good.publicJwk.x,
    );
    expect(ring.resolve('999900', pinned.cityKey.kid)).toBeDefined();
  });
});
