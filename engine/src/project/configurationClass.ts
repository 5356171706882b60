import type { Node } from 'web-tree-sitter';
import { evaluateArgs } from './callArguments';
import { databaseFromUrl } from './databaseUrl';
import { environCacheConfig } from './environCacheUrl';
import { environmentValue } from './environmentValue';
import { type Binding, type EvaluationContext, locationOf } from './evaluationContext';
import { bind } from './namespaceBinding';
import { pythonInt } from './pythonNumbers';
import { evaluateExpression } from './settingsExpression';
import { runStatements } from './settingsStatements';
import { forgetEverySetting } from './unfollowedEffects';
import { NONE, type SettingValue, stringOf, truthiness, unknown } from './settingValue';

/** The variable django-configurations reads the configuration class's name from. */
export const CONFIGURATION_VARIABLE = 'DJANGO_CONFIGURATION';

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
/** django-configurations' `values.BooleanValue` true words. */
const TRUE_WORDS = new Set(['yes', 'y', 'true', '1']);

/**
 * The settings of a django-configurations project (froide): the upper-case attributes of the
 * class DJANGO_CONFIGURATION names, its bases' first (as Python's attribute lookup finds them),
 * over the module's own names, as `configurations.importer` sets them on the settings module.
 * `values.*Value(default)` reads `DJANGO_<NAME>` from the environment as the library does.
 * Nothing changes where the module defines no configuration classes; where it does but the
 * class cannot be told, every class setting is unknown with that reason, never Django's default.
 */
export function configurationSettings(root: Node, ctx: EvaluationContext): void {
  const classes = new Map<string, Node>();
  for (const statement of root.namedChildren) {
    const name = statement?.type === 'class_definition' ? statement.childForFieldName('name')?.text : undefined;
    if (name) {
      classes.set(name, statement!);
    }
  }
  const chosen = ctx.env.get(CONFIGURATION_VARIABLE);
  // The class DJANGO_CONFIGURATION names is one, whatever its bases (they may be imported).
  const named = chosen === undefined ? undefined : classes.get(chosen);
  const configured = [...classes.values()].filter((cls) => cls === named || inherits(cls, classes, new Set()));
  if (configured.length === 0) {
    return;
  }
  if (!named) {
    const why = chosen === undefined ? `${CONFIGURATION_VARIABLE} is not set here` : `${CONFIGURATION_VARIABLE} names ${chosen}, which is not a configuration class of this module`;
    forgetClassSettings(configured, unknown(`the settings are django-configurations classes, and ${why}`, locationOf(ctx.file, configured[0]!)), ctx);
    return;
  }
  const order = linearized(named, classes);
  const imported = order.flatMap((cls) => baseNames(cls).filter((base) => !classes.has(base) && !/(^|\.)(Configuration|object)$/.test(base)).map((base) => ({ cls, base })));
  if (imported.length > 0) {
    // A base from another module may set any setting; the classes here still set theirs after it.
    forgetEverySetting(ctx, `may be set by ${imported[0]!.base}, a configuration class imported from another module, which static reading does not follow`, imported[0]!.cls);
  }
  for (const cls of order) {
    runClassBody(cls, ctx);
  }
}

/** Whether a class derives, in this module or directly, from django-configurations' Configuration. */
function inherits(cls: Node, classes: ReadonlyMap<string, Node>, seen: Set<string>): boolean {
  return baseNames(cls).some((base) => {
    if (/(^|\.)Configuration$/.test(base) && !classes.has(base)) {
      return true;
    }
    const local = classes.get(base);
    return !!local && !seen.has(base) && inherits(local, classes, seen.add(base));
  });
}

function baseNames(cls: Node): string[] {
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((base) => (base && (base.type === 'identifier' || base.type === 'attribute') ? [base.text] : []));
}

/** The module's classes `cls` is made of, bases first: a left-to-right depth-first order, each class after its bases. */
function linearized(cls: Node, classes: ReadonlyMap<string, Node>): Node[] {
  const order: Node[] = [];
  const visit = (current: Node): void => {
    if (order.includes(current)) {
      return;
    }
    for (const base of [...baseNames(current)].reverse()) {
      const local = classes.get(base);
      if (local) {
        visit(local);
      }
    }
    order.push(current);
  };
  visit(cls);
  return order;
}

/** Runs a class body as module code, so its upper-case names become settings; a `values.*Value(…)` reads the environment. */
function runClassBody(cls: Node, ctx: EvaluationContext): void {
  const body = cls.childForFieldName('body');
  if (!body) {
    return;
  }
  runStatements(body, ctx);
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const value = assignment?.childForFieldName('right');
    if (name?.type === 'identifier' && SETTING_NAME.test(name.text) && value?.type === 'call') {
      const read = configurationValue(name.text, value, ctx);
      if (read) {
        bind(name.text, read, name, ctx, value);
      }
    }
    // A computed setting (`@property def DATABASES(self)`) is known only at run time.
    const decorated = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : null;
    const defined = decorated?.childForFieldName('name');
    if (defined && SETTING_NAME.test(defined.text)) {
      bind(defined.text, unknown(`${defined.text} is computed by a method of the configuration class at run time`, locationOf(ctx.file, defined)), defined, ctx);
    }
  }
}

/**
 * `values.IntegerValue(3600)` and its kin, as django-configurations reads them: the variable
 * `DJANGO_<NAME>` (or `environ_prefix`/`environ_name`), parsed for its type, else the default;
 * a SecretValue, or one with `environ_required=True`, needs the variable. Undefined for any other call.
 */
function configurationValue(name: string, call: Node, ctx: EvaluationContext): SettingValue | undefined {
  const callee = call.childForFieldName('function');
  const target = callee ? evaluateExpression(callee, ctx) : undefined;
  const type = target?.kind === 'ref' ? /^configurations\.values\.(\w*Value)$/.exec(target.name)?.[1] : undefined;
  if (!type) {
    return undefined;
  }
  const here = locationOf(ctx.file, call);
  const args = evaluateArgs(call, ctx);
  const fallback = args.positional[0] ?? args.keywords.get('default');
  if (args.keywords.get('environ') !== undefined && truthiness(args.keywords.get('environ')!) === false) {
    return parsed(type, fallback, here, stringOf(args.keywords.get('alias')) ?? 'default');
  }
  // The URL values read DATABASE_URL, CACHE_URL… without a prefix, as the library's DictBackendMixin sets them.
  const urlVariable = URL_VARIABLES[type];
  const prefix = args.keywords.get('environ_prefix') ?? (urlVariable ? NONE : undefined);
  const variableName = stringOf(args.keywords.get('environ_name')) ?? urlVariable ?? name;
  const prefixText = prefix === undefined ? 'DJANGO' : stringOf(prefix)?.replace(/_+$/, '');
  const variable = prefixText ? `${prefixText}_${variableName}` : variableName;
  const required = type === 'SecretValue' || truthiness(args.keywords.get('environ_required') ?? NONE) === true;
  const raw = environmentValue(variable, required ? undefined : NONE, ctx, here);
  // A URL value gives a dict under its alias: DATABASES = {'default': {...}}.
  const alias = stringOf(args.keywords.get('alias')) ?? 'default';
  return raw.kind === 'str' ? parsed(type, raw, here, alias) : raw.kind === 'none' ? parsed(type, fallback ?? NONE, here, alias) : raw;
}

/** A value for its `values.*Value` type: text from the environment is parsed, a default given as Python is taken as it is (a URL default is parsed too). */
function parsed(type: string, value: SettingValue | undefined, here: ReturnType<typeof locationOf>, alias: string): SettingValue {
  if (value === undefined) {
    return NONE;
  }
  const text = value.kind === 'str' ? value.value : undefined;
  switch (type) {
    case 'BooleanValue':
      return text !== undefined ? { kind: 'bool', value: TRUE_WORDS.has(text.trim().toLowerCase()) } : value;
    case 'IntegerValue':
    case 'PositiveIntegerValue':
      return text !== undefined ? pythonInt(value, here) : value;
    case 'FloatValue':
      return text !== undefined ? { kind: 'float', value: Number(text) } : value;
    case 'ListValue':
    case 'TupleValue':
      return text !== undefined ? { kind: type === 'ListValue' ? 'list' : 'tuple', items: text.split(',').filter((item) => item.trim() !== '').map((item) => ({ kind: 'str', value: item.trim() })) } : value;
    case 'DatabaseURLValue':
      return text !== undefined ? { kind: 'dict', entries: new Map([[alias, databaseFromUrl(text, value.kind === 'str' ? value.envVar : undefined)]]) } : value;
    case 'CacheURLValue':
      return text !== undefined ? { kind: 'dict', entries: new Map([[alias, cacheUrlConfig(text)]]) } : value;
    default:
      return value;
  }
}

/** The variables the URL values read by default, without a prefix (django-configurations' values.py). */
const URL_VARIABLES: Record<string, string> = { DatabaseURLValue: 'DATABASE_URL', CacheURLValue: 'CACHE_URL', EmailURLValue: 'EMAIL_URL', SearchURLValue: 'SEARCH_URL' };

/** django-cache-url's schemes for Django's own local backends, then the rest as django-environ reads them. */
function cacheUrlConfig(url: string): SettingValue {
  const local = /^(locmem|dummy):\/\/(.*)$/.exec(url);
  if (!local) {
    return environCacheConfig(url);
  }
  const backend = local[1] === 'locmem' ? 'django.core.cache.backends.locmem.LocMemCache' : 'django.core.cache.backends.dummy.DummyCache';
  return { kind: 'dict', entries: new Map<string, SettingValue>([['BACKEND', { kind: 'str', value: backend }], ['LOCATION', { kind: 'str', value: local[2]! }]]) };
}

/** Every upper-case name the configuration classes assign, unknown for `reason`. */
function forgetClassSettings(classes: readonly Node[], reason: SettingValue, ctx: EvaluationContext): void {
  for (const cls of classes) {
    for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
      const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      if (name?.type === 'identifier' && SETTING_NAME.test(name.text)) {
        const binding: Binding = { value: reason, location: locationOf(ctx.file, name) };
        ctx.namespace.set(name.text, binding);
      }
    }
  }
}
