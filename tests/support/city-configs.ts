import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { addCity } from '../../gateway/cli/city-add';
import { listConfigFiles } from '../../gateway/config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../../gateway/config/paths';

/** Shenzhen: not in the repo's configs, added by tests as a rest city (its platform simulated). */
export const SHENZHEN = '440300';

/** A temporary copy of the repo's city configs that a test may add cities to (remove it after). */
export function copyCityConfigs(prefix = 'tongban-configs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of listConfigFiles(DEFAULT_CITY_CONFIG_DIR)) copyFileSync(f, join(dir, basename(f)));
  return dir;
}

/** Write Shenzhen's config (`tongban city add … --adapter rest`) pointing at a platform. */
export function addShenzhen(
  configDir: string,
  platformUrl: string,
  extra: { pollIntervalMs?: number } = {},
): { file: string; text: string } {
  return addCity({
    configDir,
    id: SHENZHEN,
    nameZh: '深圳市',
    nameEn: 'Shenzhen',
    adapter: 'rest',
    url: platformUrl,
    ...extra,
  });
}
