import type { Node } from 'web-tree-sitter';
import type { DjangoProject } from '../project/discoverProjects';
import { withSecretsMasked } from '../project/settingSecrets';
import type { SettingValue } from '../project/settingValue';
import type { PythonParser } from './pythonParser';
import { nodeRange, type Position, type Range } from './range';
import { settingValueText } from './settingHover';
import { stringLiteralValue } from './stringLiteral';

/** One cache of a project's CACHES, which SESSION_CACHE_ALIAS names by its key. */
export interface CacheAlias {
  alias: string;
  /** The entry's BACKEND and LOCATION as Python spells them, a URL's password masked; absent where the entry has none. */
  backend?: string;
  location?: string;
  /** The settings set no CACHES, so this is Django's default one. */
  djangoDefault?: true;
}

const SETTING = 'SESSION_CACHE_ALIAS';
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);
/** What CACHES is where the settings do not set it. */
const DJANGO_DEFAULT_CACHES: CacheAlias[] = [{ alias: 'default', backend: "'django.core.cache.backends.locmem.LocMemCache'", djangoDefault: true }];

/**
 * The caches a project's CACHES holds, in the settings' order: Django's default one where the
 * settings set none, and none where CACHES cannot be read statically (`env.cache()` as a whole).
 */
export function projectCaches(project: DjangoProject | undefined): CacheAlias[] {
  if (!project) {
    return [];
  }
  const caches = project.settings.find((setting) => setting.name === 'CACHES');
  if (!caches) {
    return DJANGO_DEFAULT_CACHES;
  }
  if (caches.value.kind !== 'dict') {
    return [];
  }
  return [...caches.value.entries].map(([alias, entry]) => {
    const cache: CacheAlias = { alias };
    const entries = entry.kind === 'dict' ? entry.entries : undefined;
    const backend = entries?.get('BACKEND');
    const location = entries?.get('LOCATION');
    if (backend) {
      cache.backend = shown('BACKEND', backend);
    }
    if (location) {
      cache.location = shown('LOCATION', location);
    }
    return cache;
  });
}

function shown(name: string, value: SettingValue): string {
  return settingValueText(withSecretsMasked(name, value));
}

/** What a cache is, as plain text: its backend and location, one a line. */
export function cacheAliasSummary(cache: CacheAlias): string {
  const lines = [`BACKEND: ${cache.backend ?? 'not set'}`];
  if (cache.location !== undefined) {
    lines.push(`LOCATION: ${cache.location}`);
  }
  return (cache.djangoDefault ? ["Django's default CACHES, as the settings set none.", ...lines] : lines).join('\n');
}

/**
 * The str literal under the cursor that a settings module assigns to SESSION_CACHE_ALIAS at
 * module level (`SESSION_CACHE_ALIAS = "sessions"`): the alias it names and the literal's range.
 */
export function cacheAliasAt(python: PythonParser, text: string, position: Position): { alias: string; range: Range } | undefined {
  if (!text.includes(SETTING)) {
    return undefined;
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    let node: Node | null = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
    while (node && node.type !== 'string' && node.parent && ['string_start', 'string_content', 'string_end', 'escape_sequence'].includes(node.type)) {
      node = node.parent;
    }
    const assignment = node?.type === 'string' ? node.parent : undefined;
    if (!node || assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== node.id) {
      return undefined;
    }
    const left = assignment.childForFieldName('left');
    const alias = stringLiteralValue(node);
    return left?.type === 'identifier' && left.text === SETTING && alias !== undefined && atModuleLevel(assignment) ? { alias, range: nodeRange(node) } : undefined;
  } finally {
    tree.delete();
  }
}

/**
 * Where a settings module's text binds `alias` in CACHES at module level: the key of a
 * `CACHES = {…}` dict (under an `if` or `try` too), or the subscript of `CACHES["alias"] = {…}`.
 */
export function cacheAliasKeyRanges(python: PythonParser, text: string, alias: string): Range[] {
  if (!text.includes('CACHES')) {
    return [];
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return [];
  }
  try {
    const found: Range[] = [];
    for (const assignment of tree.rootNode.descendantsOfType('assignment')) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (!assignment || !left || !atModuleLevel(assignment)) {
        continue;
      }
      if (left.type === 'identifier' && left.text === 'CACHES' && right?.type === 'dictionary') {
        for (const pair of right.namedChildren) {
          const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
          if (key?.type === 'string' && stringLiteralValue(key) === alias) {
            found.push(nodeRange(key));
          }
        }
      } else if (left.type === 'subscript' && left.childForFieldName('value')?.text === 'CACHES') {
        const key = left.childForFieldName('subscript');
        if (key?.type === 'string' && stringLiteralValue(key) === alias) {
          found.push(nodeRange(key));
        }
      }
    }
    return found;
  } finally {
    tree.delete();
  }
}

/** Whether a statement runs when the module is imported: not in a function, class or lambda. */
function atModuleLevel(node: Node): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (SCOPES.has(at.type)) {
      return false;
    }
  }
  return true;
}
