import * as path from 'node:path';
import type { DjangoProject } from '../project/discoverProjects';
import { SESSION_SETTING_DEFAULTS } from '../project/sessionSettingDefaults';
import type { SettingValue } from '../project/settingValue';
import type { SourceLocation } from '../stores/storeDescriptor';

/** A setting's value as a session key (`settings.CART_SESSION_ID`): its str and where it is assigned, or why it is no key. */
type SettingKey = { key: string; assigned?: SourceLocation } | { reason: string; unset?: true };

/** What `settings.NAME` keys resolve to in one Django project: its settings as discovery read them. */
export interface ProjectSettingKeys {
  /** The directory that holds manage.py. */
  root: string;
  /** By setting name. */
  keys: Map<string, SettingKey>;
  /** Why no setting can be told, when the settings module was not read. */
  unreadable?: string;
  /** The settings module's file relative to the root, to say where a setting is missing. */
  settingsFile?: string;
}

const KINDS: Record<Exclude<SettingValue['kind'], 'str' | 'unknown'>, string> = {
  int: 'an int', float: 'a float', bool: 'a bool', none: 'None', list: 'a list', tuple: 'a tuple', dict: 'a dict',
  path: 'a Path', ref: 'a class or function', module: 'a module', environ: 'an environ.Env',
};

/**
 * The settings of a project as session keys: each str setting with where it was last assigned,
 * each other one with why it names no key. Django's defaults of `SESSION_*` settings the project
 * leaves unset count as well.
 */
export function projectSettingKeys(project: DjangoProject): ProjectSettingKeys {
  const settingsFile = project.settingsFiles[0];
  if (!settingsFile) {
    const why = project.problems[0]?.message ?? 'no settings module was found';
    return { root: project.root, keys: new Map(), unreadable: `the project's settings cannot be read (${why})` };
  }
  const keys = new Map<string, SettingKey>();
  for (const [name, value] of SESSION_SETTING_DEFAULTS) {
    keys.set(name, valueKey(name, value));
  }
  for (const setting of project.settings) {
    keys.set(setting.name, valueKey(setting.name, setting.value, setting.location));
  }
  return { root: project.root, keys, settingsFile: path.relative(project.root, settingsFile) };
}

/** What `settings.NAME` names as a key in a project. */
export function settingKey(settings: ProjectSettingKeys, name: string): SettingKey {
  if (settings.unreadable) {
    return { reason: `settings.${name} is unknown: ${settings.unreadable}` };
  }
  return settings.keys.get(name) ?? { reason: `settings.${name} is not set in the project's settings (${settings.settingsFile})`, unset: true };
}

function valueKey(name: string, value: SettingValue, assigned?: SourceLocation): SettingKey {
  switch (value.kind) {
    case 'str':
      return assigned ? { key: value.value, assigned } : { key: value.value };
    case 'unknown':
      return { reason: `settings.${name} cannot be told statically: ${value.reason}` };
    default:
      return { reason: `settings.${name} is ${KINDS[value.kind]} in the project's settings, not a str` };
  }
}
