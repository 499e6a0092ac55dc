/** Helpers shared by the specs (not exported from the package). */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { DataMatrix } from '../types';
import { matrixFromRows } from '../data';

/** The PyTorch chapter's three 2-D blobs (np.random.seed(42)), 100 rows each, in cluster order. */
export function pytorchBlobs(): { data: DataMatrix; labels: Int32Array } {
  const ref = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'pytorch_blobs.json'), 'utf8')) as { data: number[][] };
  return { data: matrixFromRows(ref.data), labels: Int32Array.from(ref.data, (_, i) => Math.floor(i / 100)) };
}

/** Fraction of rows on which two labelings agree under the best matching of label values (k ≤ 8). */
export function labelAgreement(a: Int32Array, b: Int32Array, k: number): number {
  let best = 0;
  const perm = Array.from({ length: k }, (_, i) => i);
  const visit = (i: number): void => {
    if (i === k) {
      let same = 0;
      for (let r = 0; r < a.length; r++) if (perm[a[r]] === b[r]) same++;
      best = Math.max(best, same / a.length);
      return;
    }
    for (let j = i; j < k; j++) {
      [perm[i], perm[j]] = [perm[j], perm[i]];
      visit(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
  };
  visit(0);
  return best;
}

