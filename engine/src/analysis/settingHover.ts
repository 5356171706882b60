import { pyRepr } from '../codec/pyRepr';
import type { DjangoProject } from '../project/discoverProjects';
import { pythonStr } from '../project/pythonNumbers';
import { SESSION_SETTING_DEFAULTS } from '../project/sessionSettingDefaults';
import { settingValueToJson, type SettingValue } from '../project/settingValue';
import type { SourceLocation } from '../stores/storeDescriptor';
import { SESSION_SETTING_DOCS, SESSION_SETTING_TYPE_WORDS } from './sessionSettingDocs';
import { withSecretsMasked } from '../project/settingSecrets';

/** What one `SESSION_*` setting is and what a project makes of it, for a hover. */
export interface SessionSettingFacts {
  name: string;
  /** Absent for a name Django does not read. */
  django?: { summary: string; type: string; default: string };
  /** The value the project's settings leave, where they last assign it; absent when they never do. */
  project?: { value: string; location: SourceLocation };
}

/** The facts about one setting; `project` is the project whose settings the name belongs to, if any. */
export function describeSessionSetting(name: string, project: DjangoProject | undefined): SessionSettingFacts {
  const facts: SessionSettingFacts = { name };
  const doc = SESSION_SETTING_DOCS.get(name);
  const fallback = SESSION_SETTING_DEFAULTS.get(name);
  if (doc && fallback) {
    facts.django = { summary: doc.summary, type: SESSION_SETTING_TYPE_WORDS[doc.type], default: settingValueText(fallback) };
  }
  const resolved = project?.settings.find((setting) => setting.name === name);
  if (resolved) {
    facts.project = { value: settingValueText(withSecretsMasked(name, resolved.value)), location: resolved.location };
  }
  return facts;
}

/** A setting's value as Python spells it (`'Lax'`, `True`, `None`, `1209600`); what static reading cannot tell says why. */
export function settingValueText(value: SettingValue): string {
  switch (value.kind) {
    case 'str':
      return `${pyRepr(value.value)}${value.envVar ? ` (from $${value.envVar})` : ''}`;
    case 'path':
      return pyRepr(value.value);
    case 'int':
    case 'float':
    case 'bool':
    case 'none':
      return pythonStr(value)!;
    case 'ref':
      return value.name;
    case 'unknown':
      return `unknown (${value.reason})`;
    default:
      return JSON.stringify(settingValueToJson(value));
  }
}
