import type { SourceLocation } from '../stores/storeDescriptor';
import type { Binding, ProjectProblem } from './evaluationContext';
import { SESSION_SETTING_DEFAULTS } from './sessionSettingDefaults';
import { type SettingValue, stringOf } from './settingValue';

/** Reads settings by name, falling back to Django's defaults, and records what cannot be read. */
export class SettingsReader {
  readonly problems: ProjectProblem[] = [];

  constructor(
    private readonly values: ReadonlyMap<string, Binding>,
    private readonly fallbackLocation: SourceLocation,
  ) {}

  value(name: string, fallback?: SettingValue): SettingValue | undefined {
    return this.values.get(name)?.value ?? fallback ?? SESSION_SETTING_DEFAULTS.get(name);
  }

  /** Where a setting is bound; for a part of one (`DATABASES['default']['OPTIONS']`), where the setting is. */
  location(name: string): SourceLocation {
    const setting = /^\w+/.exec(name)?.[0] ?? name;
    return this.values.get(name)?.location ?? this.values.get(setting)?.location ?? this.fallbackLocation;
  }

  string(name: string): string | undefined {
    return this.expect(name, this.value(name), 'a string', (value) => stringOf(value));
  }

  int(name: string, fallback: number): number {
    return this.expect(name, this.value(name), 'an integer', (value) => (value.kind === 'int' ? value.value : undefined)) ?? fallback;
  }

  bool(name: string, fallback: boolean): boolean {
    return this.expect(name, this.value(name, { kind: 'bool', value: fallback }), 'True or False', (value) => (value.kind === 'bool' ? value.value : undefined)) ?? fallback;
  }

  expect<T>(name: string, value: SettingValue | undefined, wanted: string, read: (value: SettingValue) => T | undefined): T | undefined {
    if (!value) {
      return undefined;
    }
    if (value.kind === 'unknown') {
      this.problems.push({ message: `${name}: ${value.reason}`, location: value.location ?? this.location(name) });
      return undefined;
    }
    const result = read(value);
    if (result === undefined) {
      this.problems.push({ message: `${name} should be ${wanted}`, location: this.location(name) });
    }
    return result;
  }
}
