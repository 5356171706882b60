import type { SourceLocation } from '../stores/storeDescriptor';
import type { CallArgs } from './callArguments';
import { strFormat } from './pythonStringFormat';
import { type SettingValue, stringOf, unknown } from './settingValue';
import { MAX_STATIC_CHARS, tooLarge } from './staticSizeLimits';

/** `str.split(sep, maxsplit)` and `rsplit`, with a separator, or on whitespace without a limit. */
function pythonSplit(text: string, separator: string | undefined, maxsplit: number, fromRight: boolean): string[] {
  if (separator === undefined) {
    return text.split(/\s+/).filter((part) => part !== '');
  }
  const parts = text.split(separator);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) {
    return parts;
  }
  return fromRight ? [parts.slice(0, parts.length - maxsplit).join(separator), ...parts.slice(parts.length - maxsplit)] : [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(separator)];
}

/** The str methods settings use on environment values: `os.environ.get('X', 'False').lower() == 'true'`. */
export function stringMethod(text: string, method: string, args: CallArgs, here: SourceLocation): SettingValue {
  switch (method) {
    case 'format':
      return strFormat(text, args.positional, args.keywords, here);
    case 'lower':
    case 'casefold':
      return { kind: 'str', value: text.toLowerCase() };
    case 'upper':
      return { kind: 'str', value: text.toUpperCase() };
    case 'isupper':
    case 'islower': {
      // Python's: some cased character, and every cased one upper (lower) case.
      const cased = text.toLowerCase() !== text.toUpperCase();
      return { kind: 'bool', value: cased && text === (method === 'isupper' ? text.toUpperCase() : text.toLowerCase()) };
    }
    case 'capitalize':
      // InvenTree's COOKIE_MODE.capitalize(): the first character upper, the rest lower.
      return { kind: 'str', value: text.slice(0, 1).toUpperCase() + text.slice(1).toLowerCase() };
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      if (args.positional.length > 0) {
        break;
      }
      return { kind: 'str', value: method === 'strip' ? text.trim() : method === 'lstrip' ? text.trimStart() : text.trimEnd() };
    case 'split':
    case 'rsplit': {
      const separator = stringOf(args.positional[0] ?? args.keywords.get('sep'));
      const limit = args.positional[1] ?? args.keywords.get('maxsplit');
      const maxsplit = limit === undefined ? -1 : limit.kind === 'int' ? limit.value : undefined;
      if (maxsplit === undefined || (args.positional.length >= 1 && args.positional[0]?.kind !== 'none' && !separator) || (separator === undefined && maxsplit >= 0)) {
        break;
      }
      return { kind: 'list', items: pythonSplit(text, separator, maxsplit, method === 'rsplit').map((part) => ({ kind: 'str', value: part })) };
    }
    case 'partition':
    case 'rpartition': {
      const separator = stringOf(args.positional[0]);
      if (!separator) {
        break;
      }
      const at = method === 'partition' ? text.indexOf(separator) : text.lastIndexOf(separator);
      const parts = at < 0 ? (method === 'partition' ? [text, '', ''] : ['', '', text]) : [text.slice(0, at), separator, text.slice(at + separator.length)];
      return { kind: 'tuple', items: parts.map((part) => ({ kind: 'str', value: part })) };
    }
    case 'join': {
      const parts = args.positional.length === 1 && (args.positional[0]?.kind === 'list' || args.positional[0]?.kind === 'tuple') ? args.positional[0].items : undefined;
      // An unknown part says why (bakerydemo's "".join(random choices)).
      const unknownPart = parts?.find((part) => part.kind === 'unknown') ?? (args.positional[0]?.kind === 'unknown' ? args.positional[0] : undefined);
      if (unknownPart) {
        return unknownPart;
      }
      if (parts?.every((part) => part.kind === 'str')) {
        const length = parts.reduce((sum, part) => sum + part.value.length, text.length * Math.max(0, parts.length - 1));
        return length > MAX_STATIC_CHARS ? tooLarge(`str.join()`, here) : { kind: 'str', value: parts.map((part) => part.value).join(text) };
      }
      break;
    }
    case 'find':
    case 'rfind': {
      // Kiwi TCMS's `ENGINE.find("mysql") > -1`; Python counts code points, not UTF-16 units.
      const sub = args.positional.length === 1 ? stringOf(args.positional[0]) : undefined;
      if (sub === undefined) {
        break;
      }
      const at = method === 'find' ? text.indexOf(sub) : text.lastIndexOf(sub);
      return { kind: 'int', value: at < 0 ? -1 : [...text.slice(0, at)].length };
    }
    case 'startswith':
    case 'endswith': {
      const first = args.positional[0];
      const options = args.positional.length !== 1 ? undefined : first?.kind === 'tuple' ? first.items.map(stringOf) : [stringOf(first)];
      if (!options || options.some((option) => option === undefined)) {
        break;
      }
      return { kind: 'bool', value: (options as string[]).some((option) => (method === 'startswith' ? text.startsWith(option) : text.endsWith(option))) };
    }
    case 'replace': {
      const [from, to] = args.positional.map(stringOf);
      if (args.positional.length !== 2 || !from || to === undefined) {
        break;
      }
      return { kind: 'str', value: text.split(from).join(to) };
    }
  }
  return unknown(`cannot evaluate str.${method}() statically`, here);
}
