import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { type Binding, type EvaluationContext, locationOf } from './evaluationContext';
import { moduleDunder } from './moduleDunders';
import { bind } from './namespaceBinding';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, settingValueToJson, stringOf, unknown } from './settingValue';
import { withCause } from './undecidedCondition';
import { forgetEverySetting } from './unfollowedEffects';

const INCLUDE = new Set(['split_settings.tools.include', 'split_settings.include']);

/** Files each module namespace has included, as django-split-settings keeps `__included_files__`: each runs once. */
const includedFiles = new WeakMap<Map<string, Binding>, Set<string>>();

/** Whether a callee is django-split-settings' `include`. */
export function isInclude(callee: SettingValue): boolean {
  return callee.kind === 'ref' && INCLUDE.has(callee.name);
}

/**
 * django-split-settings' `include(*files, scope=None)`, as its tools.py does: each argument is
 * a glob relative to the including file; the files it matches run in order in the including
 * module's namespace (so `__file__` stays that module's), each once; a pattern matching nothing
 * raises IOError unless wrapped in `optional()`. An argument that cannot be evaluated may set
 * any setting, so every setting becomes unknown there rather than keeping a value or default.
 */
export function runInclude(call: Node, ctx: EvaluationContext): void {
  const here = locationOf(ctx.file, call);
  const scope = call.childForFieldName('arguments')?.namedChildren.find((arg) => arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'scope');
  const scopeText = scope?.childForFieldName('value')?.text;
  if (scopeText !== undefined && scopeText !== 'globals()' && scopeText !== 'locals()') {
    forgetEverySetting(ctx, `may be set by include() at line ${here.line}, which runs its files in ${scopeText}: static reading cannot follow that`, call);
    return;
  }
  if (!ctx.namespace.has('__file__')) {
    bind('__file__', { kind: 'str', value: ctx.file }, call, ctx);
  }
  for (const name of ['__name__', '__package__']) {
    const value = ctx.namespace.has(name) ? undefined : moduleDunder(name, ctx, here);
    if (value) {
      bind(name, value, call, ctx);
    }
  }
  for (const { node, value } of includeArguments(call, ctx)) {
    const pattern = stringOf(value);
    if (pattern === undefined) {
      forgetEverySetting(ctx, `may be set by include() at line ${here.line}, which static reading cannot follow (${withCause(node.text, value, here)})`, call);
      continue;
    }
    const absolute = path.resolve(path.dirname(ctx.file), pattern);
    if (!hasMagic(pattern)) {
      // Creating a missing optional file changes the settings.
      ctx.envFiles.add(absolute);
    }
    const matches = globFiles(absolute);
    if (matches.length === 0 && !(value.kind === 'str' && value.optionalInclude)) {
      ctx.problems.push({ message: `include() finds no file ${pattern}: django-split-settings raises IOError here, so Django cannot start`, location: here });
    }
    runMatches(matches, pattern, call, ctx);
  }
}

/** The arguments of `include(...)`, `*lists` spread, each with the node it comes from. */
function includeArguments(call: Node, ctx: EvaluationContext): { node: Node; value: SettingValue }[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).flatMap((arg) => {
    if (!arg || arg.type === 'comment' || arg.type === 'keyword_argument') {
      return [];
    }
    const inner = arg.type === 'list_splat' ? arg.namedChildren[0] : arg;
    const value = inner ? evaluateExpression(inner, ctx) : unknown(`cannot evaluate ${arg.text} statically`, locationOf(ctx.file, arg));
    if (arg.type === 'list_splat' && (value.kind === 'list' || value.kind === 'tuple')) {
      return value.items.map((item) => ({ node: arg, value: item }));
    }
    return [{ node: arg, value }];
  });
}

/**
 * Runs the files one pattern matched. Python's glob gives them in the directory's order, which
 * static reading cannot see: they run sorted, and a setting that two of them leave different
 * is unknown, since which one wins depends on that order.
 */
function runMatches(matches: string[], pattern: string, call: Node, ctx: EvaluationContext): void {
  const included = includedFiles.get(ctx.namespace) ?? new Set<string>();
  includedFiles.set(ctx.namespace, included);
  const setBy = new Map<string, { file: string; text: string }[]>();
  for (const file of matches.filter((match) => !included.has(match))) {
    included.add(file);
    const before = snapshot(ctx.namespace);
    ctx.execFile(file, ctx);
    for (const [name, text] of snapshot(ctx.namespace)) {
      if (before.get(name) !== text) {
        setBy.set(name, [...(setBy.get(name) ?? []), { file, text }]);
      }
    }
  }
  for (const [name, changes] of setBy) {
    if (new Set(changes.map(({ text }) => text)).size > 1) {
      const files = changes.map(({ file }) => path.basename(file)).join(', ');
      const binding = ctx.namespace.get(name)!;
      binding.value = unknown(`set differently by ${files}, which include('${pattern}') runs in the order of their directory: static reading cannot tell which wins`, locationOf(ctx.file, call));
      delete binding.valueSpan;
    }
  }
}

function snapshot(namespace: ReadonlyMap<string, Binding>): Map<string, string> {
  return new Map([...namespace].map(([name, binding]) => [name, JSON.stringify(settingValueToJson(binding.value))]));
}

function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * The existing files (not directories) an absolute glob matches, sorted, as Python's
 * `glob.glob` matches them: `*`, `?` and `[...]` within one path segment, and a wildcard does
 * not match a leading dot.
 */
function globFiles(pattern: string): string[] {
  const { root } = path.parse(pattern);
  let found = [root];
  for (const segment of pattern.slice(root.length).split(path.sep).filter((part) => part !== '')) {
    if (!hasMagic(segment)) {
      found = found.map((dir) => path.join(dir, segment)).filter((candidate) => fs.existsSync(candidate));
      continue;
    }
    const matcher = segmentPattern(segment);
    found = found.flatMap((dir) => {
      try {
        return fs
          .readdirSync(dir)
          .filter((entry) => matcher.test(entry) && (segment.startsWith('.') || !entry.startsWith('.')))
          .map((entry) => path.join(dir, entry));
      } catch {
        return [];
      }
    });
  }
  return found.filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile()).sort();
}

/** fnmatch's translation of one segment: `*`, `?`, `[seq]`, `[!seq]`. */
function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    const close = char === '[' ? segment.indexOf(']', i + 2) : -1;
    if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (close > 0) {
      const body = segment.slice(i + 1, close).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.startsWith('^') ? `\\${body}` : body}]`;
      i = close;
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}
