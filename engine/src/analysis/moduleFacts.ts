import type { Node } from 'web-tree-sitter';
import { composedParts, type KeyPart } from './composedKey';
import type { FileSyntax } from './fileSyntax';
import type { InstanceAssignments } from './instanceAssignments';
import type { KeyExpression } from './keyExpression';
import { type KeySpelling, literalSpelling } from './keySpelling';
import { type ModuleRef, moduleRefFor } from './moduleRef';
import { nodeRange, type Range } from './range';
import { stringLiteralValue } from './stringLiteral';

/** A name bound once to a string literal. */
export interface StringConstant {
  value: string;
  /** The name. */
  range: Range;
  /** The literal it is bound to. */
  spelling: KeySpelling;
}

/** A class's string constants and the names of its bases, for `self.KEY` lookups. */
export interface ClassFacts {
  bases: string[];
  constants: Map<string, StringConstant>;
  /** Names the body binds once to another name or a dotted member (`state_key = WIZARD_KEY`), by that name. */
  aliases: Map<string, string>;
}

/** What a module defines and imports that can name a session key. */
export interface ModuleFacts {
  constants: Map<string, StringConstant>;
  /** Names bound once at module level to a str put together from literals and names (`PREFIX + "_cart"`): see composedParts. */
  composed: Map<string, { parts: KeyPart<KeyExpression>[]; line: number }>;
  /** Names bound once at module level to a value that is no str literal (`'%s_x' % BASE`), by the 0-based line of the name. */
  computed: Map<string, number>;
  /**
   * Names bound once at module level to another name or a dotted member (`ALIAS = ATTRIBUTION`,
   * `KEY = Middleware.SESSION_KEY`: Read the Docs' tests), which a key resolves through.
   */
  aliases: Map<string, { target: string; line: number }>;
  /**
   * Names bound once at module level to `getattr(settings, 'SETTING', 'literal')`, the reusable
   * app's overridable key: the setting where the project sets it, else the literal.
   */
  settingDefaults: Map<string, { setting: string; fallback: StringConstant }>;
  classes: Map<string, ClassFacts>;
  /** The instance attributes classes' methods assign (see instanceAssignments). */
  instanceAssignments: InstanceAssignments;
  /** `from M import NAME as local`, including imports inside functions. */
  imports: Map<string, { module: ModuleRef; name: string }>;
  /** `import a.b as m` → `m`; `import a.b` → `a.b`. */
  moduleAliases: Map<string, ModuleRef>;
  starImports: ModuleRef[];
}

/** An empty set of facts, for files with nothing to read. */
export function emptyModuleFacts(): ModuleFacts {
  return { constants: new Map(), composed: new Map(), computed: new Map(), aliases: new Map(), settingDefaults: new Map(), classes: new Map(), instanceAssignments: new Map(), imports: new Map(), moduleAliases: new Map(), starImports: [] };
}

/** Reads constants, classes and imports from a file's definitions (see fileSyntax). */
export function moduleFacts(syntax: FileSyntax, file: string): ModuleFacts {
  const facts = emptyModuleFacts();
  const assigned = new Map<string, { value: Node; name: Node }[]>();
  for (const { name, value } of syntax.moduleAssignments) {
    const list = assigned.get(name.text) ?? [];
    list.push({ name, value });
    assigned.set(name.text, list);
  }
  for (const cls of syntax.classes) {
    const bases = (cls.bases?.namedChildren ?? []).flatMap((base) => (base && (base.type === 'identifier' || base.type === 'attribute') ? [base.text] : []));
    facts.classes.set(cls.name.text, { bases, ...blockConstants(cls.body) });
  }
  // Imports inside functions count too, but a module-level import of the same name wins: a
  // function's `from ee import settings` binds `settings` in that function only.
  const nested = syntax.imports.filter(inFunctionOrClass);
  for (const statement of [...nested, ...syntax.imports.filter((statement) => !nested.includes(statement))]) {
    readImport(statement, file, facts);
  }
  let parts: KeyPart<KeyExpression>[] | undefined;
  for (const [name, bindings] of assigned) {
    const binding = bindings.length === 1 ? bindings[0]! : undefined;
    const constant = binding && stringConstant(binding.name, binding.value);
    const settingDefault = binding && !constant ? settingWithDefault(binding.name, binding.value) : undefined;
    if (constant) {
      facts.constants.set(name, constant);
    } else if (settingDefault) {
      facts.settingDefaults.set(name, settingDefault);
    } else if (binding && isDottedName(binding.value)) {
      facts.aliases.set(name, { target: binding.value.text, line: binding.name.startPosition.row });
    } else if (binding && (parts = composedParts(binding.value, moduleName))) {
      facts.composed.set(name, { parts, line: binding.name.startPosition.row });
    } else if (binding) {
      facts.computed.set(name, binding.name.startPosition.row);
    }
  }
  return facts;
}

/** A name or dotted member in a module-level composition: what a key names there. */
function moduleName(node: Node): KeyExpression | undefined {
  if (node.type === 'identifier') {
    return { kind: 'name', name: node.text };
  }
  const dot = node.text.lastIndexOf('.');
  return isDottedName(node) && dot > 0 ? { kind: 'member', owner: node.text.slice(0, dot), name: node.text.slice(dot + 1) } : undefined;
}

/** `NAME` or `a.b.NAME`: a value that is another name's. */
function isDottedName(value: Node): boolean {
  return value.type === 'identifier' || (value.type === 'attribute' && /^[A-Za-z_][\w.]*$/.test(value.text));
}

function inFunctionOrClass(statement: Node): boolean {
  for (let parent = statement.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'class_definition') {
      return true;
    }
  }
  return false;
}

function readImport(statement: Node, file: string, facts: ModuleFacts): void {
  for (const binding of importBindings(statement, file)) {
    if (binding.kind === 'module') {
      facts.moduleAliases.set(binding.local, binding.module);
    } else if (binding.kind === 'name') {
      facts.imports.set(binding.local, { module: binding.module, name: binding.name });
    } else {
      facts.starImports.push(binding.module);
    }
  }
}

/** What one import binds: a module (`import a.b as m`), a name from a module (`from M import name as local`), or all of a module's (`from M import *`). */
export type ImportBinding = { kind: 'module'; local: string; module: ModuleRef } | { kind: 'name'; local: string; module: ModuleRef; name: string } | { kind: 'star'; module: ModuleRef };

/**
 * The bindings of an `import …` or `from … import …` statement, in order, relative modules
 * fixed from `file` (see moduleRefFor): `import a.b` binds `a.b`, as ModuleFacts.moduleAliases keys it.
 */
export function importBindings(statement: Node, file: string): ImportBinding[] {
  if (statement.type === 'import_statement') {
    return statement.namedChildren.flatMap((item): ImportBinding[] => {
      if (item?.type === 'dotted_name') {
        return [{ kind: 'module', local: item.text, module: { kind: 'dotted', name: item.text } }];
      }
      const target = item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : undefined;
      const alias = target && item!.childForFieldName('alias')?.text;
      return target && alias ? [{ kind: 'module', local: alias, module: { kind: 'dotted', name: target } }] : [];
    });
  }
  const moduleNode = statement.childForFieldName('module_name');
  if (!moduleNode) {
    return [];
  }
  const module = moduleRefFor(file, moduleNode.text);
  const items = statement.namedChildren.filter((child): child is Node => child !== null && child.id !== moduleNode.id);
  if (items.some((child) => child.type === 'wildcard_import')) {
    return [{ kind: 'star', module }];
  }
  return items.flatMap((item): ImportBinding[] => {
    if (item.type === 'dotted_name') {
      return [{ kind: 'name', local: item.text, module, name: item.text }];
    }
    const target = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : undefined;
    const alias = target && item.childForFieldName('alias')?.text;
    return target && alias ? [{ kind: 'name', local: alias, module, name: target }] : [];
  });
}

/** Names assigned exactly once, directly in a class body, to a string literal or to another name (see ClassFacts.aliases). */
function blockConstants(block: Node): Pick<ClassFacts, 'constants' | 'aliases'> {
  const constants = new Map<string, StringConstant>();
  const aliases = new Map<string, string>();
  const bound = new Set<string>();
  for (const statement of block.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : undefined;
    if (assignment?.type !== 'assignment') {
      continue;
    }
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) {
      continue;
    }
    const name = left.text;
    const constant = bound.has(name) ? undefined : stringConstant(left, right);
    const alias = bound.has(name) || constant || !isDottedName(right) ? undefined : right.text;
    bound.add(name);
    constants.delete(name);
    aliases.delete(name);
    if (constant) {
      constants.set(name, constant);
    } else if (alias) {
      aliases.set(name, alias);
    }
  }
  return { constants, aliases };
}

/**
 * `getattr(settings, 'SETTING', 'literal')`, with the literal as the constant bound to `name`;
 * also as `settings.SETTING if hasattr(settings, 'SETTING') else 'literal'`, and
 * `getattr(settings, 'SETTING', None) or 'literal'`.
 */
function settingWithDefault(name: Node, value: Node): { setting: string; fallback: StringConstant } | undefined {
  let setting: string | undefined;
  let literal: Node | null = null;
  if (value.type === 'conditional_expression') {
    const [chosen, condition, otherwise] = value.namedChildren;
    const checked = condition ? settingsCallArguments(condition, 'hasattr') : undefined;
    const name = checked?.length === 2 ? stringLiteralValue(checked[1]!) : undefined;
    setting = name !== undefined && chosen?.text === `settings.${name}` ? name : undefined;
    literal = otherwise ?? null;
  } else if (value.type === 'boolean_operator' && value.childForFieldName('operator')?.type === 'or') {
    const args = settingsCallArguments(value.childForFieldName('left'), 'getattr');
    setting = args?.length === 2 || (args?.length === 3 && args[2]!.type === 'none') ? stringLiteralValue(args[1]!) : undefined;
    literal = value.childForFieldName('right');
  } else {
    const args = settingsCallArguments(value, 'getattr');
    setting = args?.length === 3 ? stringLiteralValue(args[1]!) : undefined;
    literal = args?.[2] ?? null;
  }
  const fallback = setting === undefined || !literal ? undefined : stringConstant(name, literal);
  return setting !== undefined && fallback ? { setting, fallback } : undefined;
}

/** The arguments of `callee(settings, …)` (getattr, hasattr). */
function settingsCallArguments(node: Node | null, callee: string): Node[] | undefined {
  const args = node?.type === 'call' && node.childForFieldName('function')?.text === callee ? (node.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment') : [];
  return args.length >= 2 && args[0]!.text === 'settings' ? args : undefined;
}

/** The constant `name = value` binds, if the value is a str literal. */
function stringConstant(name: Node, value: Node): StringConstant | undefined {
  const text = stringLiteralValue(value);
  if (text === undefined) {
    return undefined;
  }
  const spelling = literalSpelling(value);
  return spelling && { value: text, range: nodeRange(name), spelling };
}

const FROM_IMPORT = /^from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)/gm;

/**
 * Module-level `from M import …` statements of a file without session code, read by a
 * regular expression: a constants package may re-export keys without ever naming a session.
 */
export function importsWithoutParsing(text: string, file: string): Pick<ModuleFacts, 'imports' | 'starImports'> {
  const imports: ModuleFacts['imports'] = new Map();
  const starImports: ModuleRef[] = [];
  for (const match of text.matchAll(FROM_IMPORT)) {
    const module = moduleRefFor(file, match[1]!);
    const names = match[2]!.replace(/[()]/g, '').replace(/#.*$/gm, '');
    for (const item of names.split(',')) {
      const [name, alias] = item.trim().split(/\s+as\s+/);
      if (name === '*') {
        starImports.push(module);
      } else if (name && /^\w+$/.test(name)) {
        imports.set(alias?.trim() || name, { module, name });
      }
    }
  }
  return { imports, starImports };
}
