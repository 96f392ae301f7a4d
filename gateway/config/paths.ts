import { join, resolve } from 'node:path';

/** The project root (works from source via tsx/ts-jest and from a compiled dist/). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const CONTRACTS_DIR = join(PROJECT_ROOT, 'contracts');
export const DEFAULT_CITY_CONFIG_DIR = join(PROJECT_ROOT, 'city-configs');
