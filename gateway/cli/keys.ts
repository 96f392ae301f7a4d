import type { Command } from 'commander';
import { resolveKeysDir } from '../config/cli-locations';
import { ensureCityKey, privateKeyPath, publicJwksPath, rotateCityKey } from '../runtime/keys';
import { out } from './output';

interface KeysFlags {
  city: string;
  keysDir?: string;
  dataDir?: string;
}

// The same folder `tongban serve` reads with the same flags and environment.
const KEYS_DIR_HELP = 'keys folder (env TONGBAN_KEYS_DIR; default: keys in the data folder)';
const DATA_DIR_HELP = 'data folder (env TONGBAN_DATA_DIR; default .data/gateway)';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("manage a city's Ed25519 signing keys");
  keys
    .command('generate')
    .description('create the signing key of a city (kept if it already exists)')
    .requiredOption('--city <id>', '6-digit city code')
    .option('--keys-dir <dir>', KEYS_DIR_HELP)
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((o: KeysFlags) => {
      const dir = resolveKeysDir(o);
      const k = ensureCityKey(dir, o.city);
      out(
        `city ${o.city}: kid ${k.current.kid}\n  private: ${privateKeyPath(dir, o.city)} (mode 0600)\n  public:  ${publicJwksPath(dir, o.city)}`,
      );
      out(`Pin the public key in the peers' city-configs/${o.city}.yaml under keys.pinned.`);
    });
  keys
    .command('rotate')
    .description(
      'start signing with a new key; the previous one stays published during the overlap',
    )
    .requiredOption('--city <id>', '6-digit city code')
    .option('--keys-dir <dir>', KEYS_DIR_HELP)
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((o: KeysFlags) => {
      const k = rotateCityKey(resolveKeysDir(o), o.city);
      out(
        `city ${o.city}: now signing with kid ${k.current.kid}; previous kid ${k.previous?.kid} still published`,
      );
      out(
        `Add the new public key to the peers' configs (keys.next) before restarting the gateway.`,
      );
    });
}
