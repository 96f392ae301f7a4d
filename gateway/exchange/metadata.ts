import { createPublicKey } from 'node:crypto';
import { Router } from 'express';
import type { Gateway } from '../runtime/context';
import { publicJwks, signEnvelope, type CityKey } from '../signing';
import { vkeyOf } from '../ledger';
import { newEnvelope } from './outbound';
import type { components } from '../../contracts/generated/exchange.v1';

type GatewayMetadata = components['schemas']['GatewayMetadata'];

/** This gateway's public identity: signed metadata and its key set (current and previous keys). */
export function metadataRouter(gw: Gateway, publishedKeys: CityKey[]): Router {
  const r = Router();
  const base = gw.settings.publicUrl ?? gw.cities.gatewayUrl(gw.self.id) ?? '';
  const verifierKey = vkeyOf(gw.ledgerOrigin, createPublicKey(gw.key.privateKey));
  r.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('cache-control', 'max-age=300');
    res.json(publicJwks(publishedKeys));
  });
  r.get('/.well-known/tongban', (_req, res) => {
    const body: GatewayMetadata = {
      city: gw.self.id,
      name: gw.self.name,
      contracts: [gw.contracts.refs.exchange, gw.contracts.refs.liaison],
      jwksUri: `${base}/.well-known/jwks.json`,
      ledger: { origin: gw.ledgerOrigin, verifierKey },
    };
    // Public: addressed to this city itself; a peer verifies it with `self` set to this city.
    const env = newEnvelope(gw, 'metadata', gw.self.id, body);
    res.type('application/jose+json').send(signEnvelope(env, gw.key).text);
  });
  return r;
}
