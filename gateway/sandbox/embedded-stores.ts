import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openPgliteStore } from '../store/pglite-store';
import { migrate } from '../store/migrate';
import type { Store } from '../store';

/**
 * One embedded database per city, made fast: creating a PGlite data dir (initdb) costs seconds
 * of CPU, reopening one a fraction of that. So initdb + migrations run once into a template
 * that is copied for each new city (docs/sandbox.md).
 */
export async function openCityStores(
  root: string,
  cityIds: string[],
  onProgress: (msg: string) => void = () => undefined,
): Promise<Map<string, Store>> {
  mkdirSync(root, { recursive: true });
  const missing = cityIds.filter((id) => !existsSync(join(root, id, 'PG_VERSION')));
  if (missing.length > 0) {
    const template = join(root, '_template');
    rmSync(template, { recursive: true, force: true });
    onProgress(`initialising the embedded database template (once)…`);
    const t = await openPgliteStore(template);
    await migrate(t);
    await t.close();
    for (const id of missing) {
      rmSync(join(root, id), { recursive: true, force: true });
      cpSync(template, join(root, id), { recursive: true });
    }
    rmSync(template, { recursive: true, force: true });
  }
  const stores = new Map<string, Store>();
  try {
    for (const id of cityIds) {
      const s = await openPgliteStore(join(root, id));
      stores.set(id, s);
      await migrate(s); // newer migrations since the data dir was made
      onProgress(`  database ${id} open`);
    }
  } catch (e) {
    // e.g. a city's database held by another process: release the ones opened so far
    await Promise.allSettled([...stores.values()].map((s) => s.close()));
    throw e;
  }
  return stores;
}
