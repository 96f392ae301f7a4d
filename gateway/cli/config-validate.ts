import type { Command } from 'commander';
import { checkConfigFiles, listConfigFiles } from '../config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../config/paths';
import { formatProblem } from '../config/validate-city-config';
import { out, progress } from './output';

export function registerConfigValidate(config: Command): void {
  config
    .command('validate')
    .description('validate city config files against contracts/city-config.schema.json')
    .argument('[files...]', 'YAML files (default: every file in city-configs/)')
    .action((files: string[]) => {
      const list = files.length > 0 ? files : listConfigFiles(DEFAULT_CITY_CONFIG_DIR);
      const { loaded, problems } = checkConfigFiles(list);
      for (const p of problems) progress(formatProblem(p));
      if (problems.length > 0) {
        progress(
          `${problems.length} problem(s) in ${new Set(problems.map((p) => p.file)).size} file(s)`,
        );
        process.exitCode = 1;
        return;
      }
      out(`${loaded.length} city config(s) valid: ${loaded.map((l) => l.config.id).join(', ')}`);
    });
}
