import type { Command } from 'commander';
import { SANDBOX_DATA_DIR } from '../config/cli-locations';
import { startSandbox } from '../sandbox/start-sandbox';
import { onShutdown } from './shutdown';
import { out, progress, table } from './output';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description(
      'run the whole federation on loopback: one gateway per city config, embedded databases, dev keys',
    )
    .option('--port-base <n>', 'first port; city i listens on port-base + i', '7100')
    .option('--data-dir <dir>', 'where databases, keys and sandbox.json live', SANDBOX_DATA_DIR)
    .option('--log-level <level>', 'gateway log level (pino)', 'warn')
    .action(async (o: { portBase: string; dataDir: string; logLevel: string }) => {
      const started = Date.now();
      progress(`Starting the Tongban sandbox federation in ${o.dataDir} …`);
      const sb = await startSandbox({
        portBase: Number(o.portBase),
        dataDir: o.dataDir,
        logLevel: o.logLevel,
        onProgress: progress,
      });
      out('');
      out(
        table([
          ['city', 'name', 'gateway', 'dashboard'],
          ...sb.cities.map((c) => [c.id, `${c.name.zh} ${c.name.en}`, c.url, `${c.url}/ui/`]),
        ]),
      );
      for (const p of sb.platforms)
        out(`${p.id} city platform (rest adapter, simulated): ${p.url}`);
      out('');
      out(
        `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Officer tokens and ready-to-open dashboard links: ${sb.file}`,
      );
      out(`Try: curl ${sb.cities[0]?.url}/readyz    ·    Ctrl-C stops the federation.`);
      onShutdown(() => sb.close());
    });
}
