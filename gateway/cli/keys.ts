import type { Command } from 'commander';
import { ensureCityKey, privateKeyPath, publicJwksPath, rotateCityKey } from '../runtime/keys';
import { out } from './output';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("manage a city's Ed25519 signing keys");
  keys
    .command('generate')
    .description('create the signing key of a city (kept if it already exists)')
    .requiredOption('--city <id>', '6-digit city code')
    .option('--keys-dir <dir>', 'keys folder', '.data/keys')
    .action((o: { city: string; keysDir: string }) => {
      const k = ensureCityKey(o.keysDir, o.city);
      out(
        `city ${o.city}: kid ${k.current.kid}\n  private: ${privateKeyPath(o.keysDir, o.city)} (mode 0600)\n  public:  ${publicJwksPath(o.keysDir, o.city)}`,
      );
      out(`Pin the public key in the peers' city-configs/${o.city}.yaml under keys.pinned.`);
    });
  keys
    .command('rotate')
    .description(
      'start signing with a new key; the previous one stays published during the overlap',
    )
    .requiredOption('--city <id>', '6-digit city code')
    .option('--keys-dir <dir>', 'keys folder', '.data/keys')
    .action((o: { city: string; keysDir: string }) => {
      const k = rotateCityKey(o.keysDir, o.city);
      out(
        `city ${o.city}: now signing with kid ${k.current.kid}; previous kid ${k.previous?.kid} still published`,
      );
      out(
        `Add the new public key to the peers' configs (keys.next) before restarting the gateway.`,
      );
    });
}
