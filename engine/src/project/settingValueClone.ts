import type { SettingValue } from './settingValue';

/**
 * A deep copy. Modules evaluated once are imported by several settings files, and a
 * `DATABASES['default']['NAME'] = …` in one must not leak into the cached module.
 */
export function cloneSettingValue(value: SettingValue): SettingValue {
  switch (value.kind) {
    case 'list':
    case 'tuple':
      return { kind: value.kind, items: value.items.map(cloneSettingValue) };
    case 'dict':
      return { kind: 'dict', entries: new Map([...value.entries].map(([key, item]) => [key, cloneSettingValue(item)])) };
    case 'environ':
      return { kind: 'environ', schemes: new Map(value.schemes) };
    default:
      return value;
  }
}
