import * as v8 from 'node:v8';

// In "bytes executed" per function; V8's default is 1.8 M on Node 20, 13 M on Node 22.
const SHORT_RUN_TIERING_BUDGET = 100_000_000;

/**
 * Lets wasm code run longer before V8 recompiles it optimized, as suits a short-lived process.
 * With the default budget, tree-sitter's lexer is recompiled within the first few files, and
 * Node waits at exit for that background compile (some 60 ms) even when a small scan is long
 * done; a run long enough to gain from the optimized code still gets it. Call it before any
 * wasm module compiles: the budget is read when one does.
 */
export function deferWasmTierUp(): void {
  v8.setFlagsFromString(`--wasm-tiering-budget=${SHORT_RUN_TIERING_BUDGET}`);
}
