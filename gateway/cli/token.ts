import type { Command } from 'commander';
import { SANDBOX_DATA_DIR } from '../config/cli-locations';
import { join } from 'node:path';
import { issueDevToken, loadOrCreateDevIssuer } from '../auth/dev-issuer';
import { ROLES, type Role } from '../auth/roles';
import { out } from './output';

export function registerToken(program: Command): void {
  program
    .command('token')
    .description("print a dev bearer token for an officer (the sandbox's dev issuer)")
    .requiredOption('--city <id>', '6-digit city code')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'officer')
    .option('--data-dir <dir>', 'sandbox data dir', SANDBOX_DATA_DIR)
    .option('--ttl <seconds>', 'lifetime', '28800')
    .action(async (o: { city: string; role: string; dataDir: string; ttl: string }) => {
      if (!ROLES.includes(o.role as Role))
        throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      if (!/^\d{6}$/.test(o.city)) throw new Error('--city must be a 6-digit city code');
      const issuer = await loadOrCreateDevIssuer(join(o.dataDir, 'keys'));
      out(await issueDevToken(issuer, { city: o.city, role: o.role as Role }, Number(o.ttl)));
    });
}
