import type { Command } from 'commander';
import { DEMO_PLATFORM_PENALTIES } from '../simulator/demo';
import { startPlatformSimulator } from '../simulator/server';
import { out, progress } from './output';
import { onShutdown } from './shutdown';
import { environment } from '../config/settings';

export function registerSimulatePlatform(program: Command): void {
  program
    .command('simulate-platform')
    .description(
      'run a fake city credit platform (pinyin JSON API, in memory) for the rest adapter',
    )
    .option('--port <n>', 'port to listen on', '7107')
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option(
      '--auto-progress <n>',
      'advance each open application one step every N status polls (0: only the admin endpoint decides)',
      '0',
    )
    .option('--token-env <name>', 'require header X-Xyxf-Token equal to this environment variable')
    .option('--no-demo-data', 'start without the demo penalty records')
    .action(
      async (o: {
        port: string;
        host: string;
        autoProgress: string;
        tokenEnv?: string;
        demoData: boolean;
      }) => {
        const token = o.tokenEnv ? environment()[o.tokenEnv] : undefined;
        if (o.tokenEnv && !token) throw new Error(`environment variable ${o.tokenEnv} is not set`);
        const sim = await startPlatformSimulator({
          port: Number(o.port),
          host: o.host,
          autoProgressAfterPolls: Number(o.autoProgress),
          ...(token ? { auth: { header: 'X-Xyxf-Token', value: token } } : {}),
          seed: o.demoData ? DEMO_PLATFORM_PENALTIES : [],
        });
        out(`simulated credit platform on ${sim.url}`);
        out(
          `  platform API:  POST ${sim.url}/api/xyxf/sq · GET /api/xyxf/sq/{ywlsh} · POST …/bzcl · POST …/ch · GET /api/xyxf/cfxx?tyshxydm=`,
        );
        out(
          `  decide:        curl -X POST ${sim.url}/admin/sq/{ywlsh}/zt -H 'content-type: application/json' -d '{"zt":"02"}'`,
        );
        out(`  list:          curl ${sim.url}/admin/sq`);
        progress(
          'Status codes: 01 已接收 02 已受理 03 审核中 04 待补正 05 审核通过 06 已修复 07 不予受理 08 不予修复 09 已撤回',
        );
        onShutdown(() => sim.close());
      },
    );
}
