import { cloneConfigParser } from './configParserValue';
import type { SettingValue } from './settingValue';

/**
 * A deep copy. Modules evaluated once are imported by several settings files, and a
 * `DATABASES['default']['NAME'] = …` in one must not leak into the cached module. Values
 * cloned with one `copies` map keep sharing what they shared (`default = CACHES['default']`).
 */
export function cloneSettingValue(value: SettingValue, copies = new Map<SettingValue, SettingValue>()): SettingValue {
  const known = copies.get(value);
  if (known) {
    return known;
  }
  switch (value.kind) {
    case 'list':
    case 'tuple': {
      const copy: Extract<SettingValue, { kind: 'list' | 'tuple' }> = { kind: value.kind, items: [] };
      copies.set(value, copy);
      copy.items.push(...value.items.map((item) => cloneSettingValue(item, copies)));
      return copy;
    }
    case 'dict': {
      const copy: Extract<SettingValue, { kind: 'dict' }> = value.emptyBecause === undefined ? { kind: 'dict', entries: new Map() } : { kind: 'dict', entries: new Map(), emptyBecause: value.emptyBecause };
      copies.set(value, copy);
      value.entries.forEach((item, key) => copy.entries.set(key, cloneSettingValue(item, copies)));
      return copy;
    }
    case 'environ':
      return { ...value, schemes: new Map(value.schemes) };
    case 'ref': {
      if (!value.config) {
        return value;
      }
      const copy = { ...value, config: cloneConfigParser(value.config) };
      copies.set(value, copy);
      return copy;
    }
    default:
      return value;
  }
}
