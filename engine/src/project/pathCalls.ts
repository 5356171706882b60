import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { CallArgs } from './callArguments';
import { environPath } from './environPath';
import type { EvaluationContext } from './evaluationContext';
import { raiseFrom } from './evaluationOutcomes';
import { type SettingValue, stringOf, unknown, unknownFrom } from './settingValue';

/** `os.path.join(...)` as a str, or `Path(...)` as a path resolved against the project. */
export function joinPaths(parts: SettingValue[], ctx: EvaluationContext, here: SourceLocation, kind: 'str' | 'path'): SettingValue {
  const strings: string[] = [];
  for (const part of parts) {
    const text = stringOf(part);
    if (text === undefined) {
      return unknownFrom(part, here);
    }
    strings.push(text);
  }
  const joined = kind === 'path' ? path.resolve(ctx.projectRoot, ...strings) : path.join(...strings);
  return { kind, value: joined };
}

/** Files read as settings, up to this size: a secret or a one-line config, not data. */
const MAX_READ_TEXT = 64 * 1024;

/**
 * `Path.read_text()` of a file where the settings are read (pretalx's `SECRET_KEY =
 * SECRET_FILE.read_text()` of data/.secret): its text, and the file watched, since writing it
 * changes the settings; FileNotFoundError where there is none, as Python raises.
 */
function readText(file: string, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const absolute = path.resolve(ctx.projectRoot, file);
  ctx.envFiles.add(absolute);
  try {
    if (fs.statSync(absolute).size > MAX_READ_TEXT) {
      return unknown(`${file} is larger than a settings file is read`, here);
    }
    return { kind: 'str', value: fs.readFileSync(absolute, 'utf8') };
  } catch {
    const raised: SettingValue = { kind: 'unknown', reason: `reading ${file} raises FileNotFoundError: there is no such file here`, location: here, raises: 'FileNotFoundError' };
    raiseFrom(raised, ctx);
    return raised;
  }
}

/** The `Path` methods settings call: resolve, joinpath, read_text, as_posix, and django-environ's path and file. */
export function pathMethod(base: SettingValue, method: string, args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  if (base.kind !== 'path') {
    return unknownFrom(base, here);
  }
  switch (method) {
    case 'resolve':
    case 'absolute':
    case 'expanduser':
      return { kind: 'path', value: path.resolve(ctx.projectRoot, base.value) };
    case 'joinpath':
      return joinPaths([base, ...args.positional], ctx, here, 'path');
    case 'read_text':
      return readText(base.value, ctx, here);
    case 'as_posix':
    case '__str__':
      return { kind: 'str', value: base.value };
    case 'path':
      return environPath(base, args.positional, args.keywords, ctx.projectRoot, here);
    case 'file':
      return openedFile(base.value, args.positional[0], ctx, here);
    default:
      return unknown(`cannot evaluate Path.${method}() statically`, here);
  }
}

/**
 * django-environ's `Path.file(name)`, which opens the file: FileNotFoundError where it is
 * missing (Funkwhale's loop tries each config directory for a `.env` so); where it is there, the
 * open file, which `read_env()` reads as it reads its path. Creating the file changes the settings.
 */
function openedFile(dir: string, name: SettingValue | undefined, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const relative = stringOf(name);
  if (relative === undefined) {
    return unknownFrom(name, here);
  }
  const file = path.resolve(ctx.projectRoot, dir, relative);
  ctx.envFiles.add(file);
  const opened: SettingValue = fs.existsSync(file) ? { kind: 'path', value: file } : { kind: 'unknown', reason: `opening ${relative} raises FileNotFoundError: ${file} does not exist`, location: here, raises: 'FileNotFoundError' };
  raiseFrom(opened, ctx);
  return opened;
}
