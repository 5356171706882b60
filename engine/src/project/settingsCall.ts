import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { type CallArgs, evaluateArgs } from './callArguments';
import { configParserMethod, newConfigParser, PARSER_METHOD } from './configParserValue';
import { databaseFromUrl, withDatabaseOptions } from './databaseUrl';
import { notUtf8EnvFile, openDotEnvFile } from './dotEnv';
import { expandDotEnvVariables } from './dotEnvExpansion';
import { decoupleAutoConfig, decoupleConfig, decoupleConfigOver, decoupleRepository } from './decoupleConfig';
import { dotEnvBeside, environCall, environSchemes, readEnv, setEnvironPrefix } from './environCall';
import { environmentOf, environmentValue } from './environmentValue';
import { environPath, environPathCall } from './environPath';
import { findDotEnv, loadEnvFile } from './envFileLoads';
import { type EvaluationContext, locationOf } from './evaluationContext';
import type { SourceLocation } from '../stores/storeDescriptor';
import { raiseFrom } from './evaluationOutcomes';
import { FILE_TESTS, testFile } from './fileExistence';
import { callFunction } from './functionCall';
import { getattrCall, hasattrCall, importModuleCall } from './moduleReflection';
import { joinPaths, pathMethod } from './pathCalls';
import { dictMethod, distinctItems, isInstance, listMethod, moduleNames, sortedItems } from './pythonBuiltins';
import { pythonLiteralEval } from './pythonLiteral';
import { pythonFloat, pythonInt } from './pythonNumbers';
import { randomKey, randomValue } from './randomValue';
import { evaluateExpression } from './settingsExpression';
import { NONE, type SettingValue, stringOf, truthiness, unknown, unknownFrom } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import { stringMethod } from './stringMethods';
import { timedeltaTotalSeconds, timedeltaValue } from './timedeltaSeconds';

/** Evaluates a call of the functions and methods settings files use, without running it. */
export function evaluateCall(node: Node, ctx: EvaluationContext): SettingValue {
  const calleeNode = node.childForFieldName('function')!;
  const here = locationOf(ctx.file, node);
  const seconds = timedeltaTotalSeconds(calleeNode, (inner) => evaluateExpression(inner, ctx), here);
  if (seconds) {
    return seconds;
  }
  const callee = evaluateExpression(calleeNode, ctx);
  if (callee.kind === 'unknown') {
    return callee;
  }
  if (callee.kind !== 'environ' && callee.kind !== 'path' && callee.kind !== 'ref') {
    return unknown(`cannot call ${calleeNode.text} statically`, here);
  }
  const raisedBefore = ctx.jump === 'raise';
  const args = evaluateArgs(node, ctx);
  // An argument that raised for certain: the call is never made.
  if (!raisedBefore && ctx.jump === 'raise' && ctx.returned) {
    return ctx.returned;
  }
  if (callee.kind === 'environ') {
    return environCall(callee, '__call__', args, ctx, here);
  }
  if (callee.kind === 'path') {
    return environPathCall(callee.value, args.positional, args.keywords, ctx.projectRoot, here);
  }
  if (callee.config && callee.name.startsWith(PARSER_METHOD)) {
    const result = configParserMethod(callee.config, callee.name.slice(PARSER_METHOD.length), args, ctx, here) ?? unknown(`cannot evaluate ${calleeNode.text}() statically`, here);
    raiseFrom(result, ctx);
    return result;
  }
  const parser = newConfigParser(callee.name);
  if (parser) {
    return parser;
  }
  if (callee.definition) {
    const result = callFunction(callee.definition, calleeNode.text, args, ctx, here);
    raiseFrom(result, ctx);
    return result;
  }
  const first = args.positional[0];
  const fileTest = FILE_TESTS.get(callee.name);
  if (fileTest) {
    return testFile(callee.name.startsWith('<path>.') ? evaluateExpression(calleeNode.childForFieldName('object')!, ctx) : first, fileTest, ctx, here);
  }
  if (callee.name.startsWith('<path>.')) {
    const base = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return pathMethod(base, callee.name.slice('<path>.'.length), args, ctx, here);
  }
  if (callee.name.startsWith('<dict>.')) {
    const dict = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return dict.kind === 'dict' ? dictMethod(dict, callee.name.slice('<dict>.'.length), args, here) : unknownFrom(dict, here);
  }
  if (callee.name.startsWith('<list>.')) {
    const list = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    const result = list.kind === 'list' || list.kind === 'tuple' ? listMethod(list.items, callee.name.slice('<list>.'.length), first, here) : unknownFrom(list, here);
    raiseFrom(result, ctx);
    return result;
  }
  if (callee.name.startsWith('<str>.')) {
    const text = stringOf(evaluateExpression(calleeNode.childForFieldName('object')!, ctx));
    return text === undefined ? unknown(`cannot call ${calleeNode.text}`, here) : stringMethod(text, callee.name.slice('<str>.'.length), args, here);
  }
  if (callee.name.startsWith('<environ>.')) {
    const env = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return env.kind === 'environ' ? environCall(env, callee.name.slice('<environ>.'.length), args, ctx, here) : unknown(`cannot call ${calleeNode.text}`, here);
  }
  switch (callee.name) {
    case 'pathlib.Path':
    case 'pathlib.PurePath':
      return args.positional.length === 0 ? { kind: 'path', value: ctx.projectRoot } : joinPaths(args.positional, ctx, here, 'path');
    case 'os.path.join':
      return joinPaths(args.positional, ctx, here, 'str');
    case 'os.path.expanduser': {
      const text = stringOf(first);
      if (text === undefined || !text.startsWith('~')) {
        return text === undefined ? unknownFrom(first, here) : { kind: 'str', value: text };
      }
      const home = ctx.env.get('HOME');
      return home === undefined ? unknown('needs environment variable HOME', here) : { kind: 'str', value: `${home}${text.slice(1)}` };
    }
    case 'pathlib.Path.home': {
      // pretalx's `Path.home() / ".pretalx.cfg"`: HOME, as os.path.expanduser("~") reads it.
      const home = ctx.env.get('HOME');
      return home === undefined ? unknown('needs environment variable HOME', here) : { kind: 'path', value: home };
    }
    case 'os.path.dirname':
      return stringOf(first) !== undefined ? { kind: 'str', value: path.dirname(stringOf(first)!) } : unknownFrom(first, here);
    case 'os.path.abspath':
    case 'os.path.realpath':
    case 'os.path.normpath':
      return stringOf(first) !== undefined ? { kind: 'str', value: path.resolve(ctx.projectRoot, stringOf(first)!) } : unknownFrom(first, here);
    case 'os.environ.copy':
      return { kind: 'ref', name: 'os.environ', environment: environmentOf(callee, ctx).env.clone() };
    case 'os.environ.get':
    case 'os.getenv': {
      const name = stringOf(first);
      if (name === undefined) {
        return unknownFrom(first, here);
      }
      // Without a default, an unset variable gives None at run time, but here it only means the variable is not known.
      const fallback = args.positional[1] ?? args.keywords.get('default');
      const value = environmentValue(name, fallback, environmentOf(callee, ctx), here);
      return value.kind === 'unknown' && fallback === undefined ? { ...value, unsetIsNone: true } : value;
    }
    case 'os.environ.setdefault': {
      const name = stringOf(first);
      const valueNode = node.childForFieldName('arguments')?.namedChildren[1];
      if (name !== undefined && valueNode && args.positional[1]) {
        ctx.onEnvironmentWrite?.({ name, value: args.positional[1], how: 'setdefault', valueNode, location: here, ctx });
      }
      const value = stringOf(args.positional[1]);
      if (name !== undefined && value !== undefined && !ctx.env.has(name)) {
        ctx.env.load(new Map([[name, value]]));
      }
      return name === undefined ? unknownFrom(first, here) : environmentValue(name, args.positional[1], ctx, here);
    }
    case 'environ.Path':
      return environPath(first, args.positional.slice(1), args.keywords, ctx.projectRoot, here);
    case 'environ.Env.read_env':
    case 'environ.FileAwareEnv.read_env':
      return readEnv(args, ctx, here);
    case 'dotenv.load_dotenv': {
      const file = args.positional[0] ?? args.keywords.get('dotenv_path');
      const override = truthiness(args.keywords.get('override') ?? args.positional[3] ?? NONE) === true;
      const interpolate = args.keywords.get('interpolate') ?? args.positional[4];
      const found = file ?? findDotEnv({}, ctx, here);
      return stringOf(found) === '' ? { kind: 'bool', value: false } : loadEnvFile(found, override, interpolate === undefined || truthiness(interpolate) !== false ? 'dotenv-expanded' : 'dotenv', ctx, here);
    }
    case 'dotenv.read_dotenv': {
      // django-dotenv (also imported as `dotenv`): the named file, else the `.env` beside the calling file.
      const file = args.positional[0] ?? args.keywords.get('dotenv') ?? dotEnvBeside(ctx);
      const override = truthiness(args.keywords.get('override') ?? args.positional[1] ?? NONE) === true;
      return file.kind === 'none' ? NONE : loadEnvFile(file, override, 'dotenv', ctx, here);
    }
    case 'dotenv.dotenv_values':
      return dotenvValues(args, ctx, here);
    case 'dotenv.find_dotenv':
      return findDotEnv({ filename: first ?? args.keywords.get('filename'), raiseErrorIfNotFound: args.positional[1] ?? args.keywords.get('raise_error_if_not_found'), usecwd: args.positional[2] ?? args.keywords.get('usecwd') }, ctx, here);
    case 'builtins.str':
      return first?.kind === 'path' ? { kind: 'str', value: first.value } : first && 'value' in first ? { kind: 'str', value: String(first.value) } : unknownFrom(first, here);
    case 'builtins.int':
    case 'builtins.float': {
      // int("yes") raises ValueError where the settings run it (Tandoor's DEBUG = bool(int(os.getenv("DEBUG", "0")))).
      const number = callee.name === 'builtins.int' ? pythonInt(first, here) : pythonFloat(first, here);
      raiseFrom(number, ctx);
      return number;
    }
    case 'ast.literal_eval': {
      const literal = first?.kind === 'str' ? pythonLiteralEval(first.value, here) : unknownFrom(first, here);
      raiseFrom(literal, ctx);
      return literal;
    }
    case 'copy.deepcopy':
      // Seahub builds its DATABASES from a deepcopy of a template dict.
      return first === undefined || first.kind === 'unknown' ? unknownFrom(first, here) : cloneSettingValue(first);
    case 'copy.copy':
      // A shallow copy: what it holds is shared, as in Python.
      return first?.kind === 'dict' ? { kind: 'dict', entries: new Map(first.entries) } : first?.kind === 'list' ? { kind: 'list', items: [...first.items] } : first && first.kind !== 'unknown' ? first : unknownFrom(first, here);
    case 'builtins.len':
      return first?.kind === 'str' ? { kind: 'int', value: [...first.value].length } : first?.kind === 'list' || first?.kind === 'tuple' ? { kind: 'int', value: first.items.length } : first?.kind === 'dict' ? { kind: 'int', value: first.entries.size } : unknownFrom(first, here);
    case 'builtins.isinstance':
      return isInstance(first, args.positional[1], here);
    case 'builtins.any':
    case 'builtins.all': {
      const truths = first?.kind === 'list' || first?.kind === 'tuple' ? first.items.map(truthiness) : undefined;
      if (!truths || truths.includes(undefined)) {
        return unknownFrom(first, here);
      }
      return { kind: 'bool', value: callee.name === 'builtins.any' ? truths.includes(true) : truths.every((truth) => truth === true) };
    }
    case 'builtins.bool':
      return first ? (truthiness(first) === undefined ? first : { kind: 'bool', value: truthiness(first)! }) : { kind: 'bool', value: false };
    case 'builtins.dict': {
      if (first?.kind === 'ref' && first.name === 'os.environ' && args.keywords.size === 0) {
        return { kind: 'ref', name: 'os.environ', environment: environmentOf(first, ctx).env.clone() };
      }
      // dict(mapping, **keywords): a copy of the mapping, then the keywords; pairs are not read.
      if (first !== undefined && first.kind !== 'dict') {
        return unknownFrom(first, here);
      }
      const entries = new Map(first?.kind === 'dict' ? first.entries : []);
      args.keywords.forEach((value, key) => entries.set(key, value));
      return { kind: 'dict', entries };
    }
    case 'builtins.sorted':
      return sortedItems(first) ?? unknownFrom(first, here);
    case 'builtins.dir':
      return moduleNames(first) ?? unknownFrom(first, here);
    case 'builtins.object':
      // Sentry's `SECRET_KEY = DEAD` with `DEAD = object()`: a placeholder the project's launcher replaces.
      return unknown('an object() placeholder, which the project replaces at run time', here);
    case 'builtins.set':
      // A set is held as a list of its distinct items, in the order first seen (Python's own order is a hash's).
      return first === undefined ? { kind: 'list', items: [] } : first.kind === 'list' || first.kind === 'tuple' ? { kind: 'list', items: distinctItems(first.items) } : unknownFrom(first, here);
    case 'builtins.list':
    case 'builtins.tuple':
      return first?.kind === 'list' || first?.kind === 'tuple' ? { kind: callee.name === 'builtins.list' ? 'list' : 'tuple', items: first.items } : unknownFrom(first, here);
    case 'builtins.getattr':
      return getattrCall(args.positional, ctx, here);
    case 'builtins.hasattr':
      return hasattrCall(args.positional, here);
    case 'importlib.import_module':
      return importModuleCall(args.positional, args.keywords, ctx, here);
    case 'django.core.management.utils.get_random_secret_key':
      return randomKey(node, ctx, 'a random key (get_random_secret_key())');
    case 'decouple.config':
      return decoupleConfig(args.positional, args.keywords, ctx, here, callee.decouple);
    case 'decouple.AutoConfig':
      return decoupleAutoConfig(args.positional, args.keywords, ctx, here);
    case 'decouple.Config':
      return decoupleConfigOver(first ?? args.keywords.get('repository'), here);
    case 'decouple.RepositoryEnv':
    case 'decouple.RepositoryIni':
    case 'decouple.RepositoryEmpty': {
      const repository = decoupleRepository(callee.name, args.positional, args.keywords, ctx, here);
      raiseFrom(repository, ctx);
      return repository;
    }
    case 'environ.Env':
      return { kind: 'environ', schemes: environSchemes(args) };
    case 'environ.FileAwareEnv':
      return { kind: 'environ', schemes: environSchemes(args), fileAware: true };
    case 'environs.Env': {
      const env: Extract<SettingValue, { kind: 'environ' }> = { kind: 'environ', schemes: new Map(), library: 'environs' };
      const prefix = args.keywords.get('prefix');
      if (prefix && prefix.kind !== 'none') {
        setEnvironPrefix(env, prefix);
      }
      return env;
    }
    case 'split_settings.tools.optional':
      return first?.kind === 'str' ? { ...first, optionalInclude: true } : unknownFrom(first, here);
    case 'decouple.Csv':
      return callee;
    case 'dj_database_url.parse':
      return first?.kind === 'str' ? withDatabaseOptions(databaseFromUrl(first.value, first.envVar), args.keywords) : unknownFrom(first, here);
    case 'dj_database_url.config': {
      const variable = stringOf(args.keywords.get('env')) ?? 'DATABASE_URL';
      const url = environmentValue(variable, args.keywords.get('default') ?? NONE, ctx, here);
      // Without a URL (the variable unset or empty, and no default) it gives {}, and only logs a
      // warning: `DATABASES['default'].update(dj_database_url.config())` then changes nothing.
      if (url.kind === 'none' || (url.kind === 'str' && url.value === '')) {
        return { kind: 'dict', entries: new Map(), emptyBecause: `dj_database_url.config() gives {} when ${variable} is not set` };
      }
      return url.kind === 'str' ? withDatabaseOptions(databaseFromUrl(url.value, url.envVar), args.keywords) : url;
    }
    default: {
      // A name imported from a module the project does not hold says where it comes from (Label Studio's get_env).
      const imported = callee.name !== calleeNode.text && !/^(<|builtins\.)/.test(callee.name) ? ` (${callee.name}, imported from outside the project)` : '';
      const reason = `cannot evaluate a call to ${calleeNode.text}${imported} statically`;
      return timedeltaValue(node, callee, reason, (inner) => evaluateExpression(inner, ctx), here) ?? randomValue(node, ctx) ?? unknown(reason, here);
    }
  }
}

/**
 * python-dotenv's `dotenv_values(path)`: the file's variables as a dict, expanded as its
 * `load_dotenv` expands them (its own values first), without loading them into the environment;
 * None for a name it writes without a value; the `.env` found going up from the settings without
 * a path, and {} for a file that is not there.
 */
function dotenvValues(args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const given = args.positional[0] ?? args.keywords.get('dotenv_path');
  const found = given === undefined || given.kind === 'none' ? findDotEnv({}, ctx, here) : given;
  const name = stringOf(found);
  if (name === undefined) {
    return unknownFrom(found, here);
  }
  const file = path.resolve(ctx.projectRoot, name);
  if (name !== '') {
    ctx.envFiles.add(file);
  }
  const opened = name === '' ? 'unreadable' : openDotEnvFile(file);
  if (opened === 'not-utf8') {
    return unknown(notUtf8EnvFile(path.relative(ctx.projectRoot, file)), here);
  }
  const entries = opened === 'unreadable' ? undefined : opened;
  const interpolate = args.keywords.get('interpolate') ?? args.positional[3];
  const read = interpolate === undefined || truthiness(interpolate) !== false ? expandDotEnvVariables(entries ?? [], (variable) => ctx.env.get(variable), true) : new Map(entries);
  return { kind: 'dict', entries: new Map([...read].map(([key, value]): [string, SettingValue] => [key, value === undefined ? { kind: 'none' } : { kind: 'str', value }])) };
}
