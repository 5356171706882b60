import type { Plugin } from 'esbuild';

export function separateBundleEntries(repo?: string): Record<string, string>;
export function loadSeparateBundles(repo?: string): Plugin;
