/** The share of the lock budget a batch aims at; on a loaded machine equal batches varied by ±25%. */
const TARGET_SHARE = 0.6;

/**
 * The next batch's size, so a batch holds its locks for about 60% of `budgetMs`: fewer, larger
 * batches rewrite shared index pages less often, and the rest of the budget absorbs noise. A
 * batch costs about in proportion to its size, so scale by how far the last one was from that,
 * at most 4x either way so one noisy measurement cannot swing it far.
 */
export function nextBatchSize(size: number, tookMs: number, budgetMs: number, min: number, max: number): number {
  const factor = Math.min(4, Math.max(0.25, (budgetMs * TARGET_SHARE) / Math.max(tookMs, 1)));
  return Math.round(Math.min(max, Math.max(min, size * factor)));
}
