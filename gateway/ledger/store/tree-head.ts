import type { Queryable } from '../../store';
import { frontierRoot } from '../merkle/frontier';
import { readFrontier } from './head';

export interface TreeHead {
  size: number;
  root: Uint8Array;
}

/** Current size and root, from the frontier alone (no tree reads). */
export async function treeHead(q: Queryable): Promise<TreeHead> {
  const f = await readFrontier(q);
  return { size: Number(f.size), root: frontierRoot(f) };
}
