import type { ResolvedSetting } from './discoverProjects';
import { strItems } from './settingValue';

/**
 * INSTALLED_APPS as the settings give it statically: a list or tuple of strs, however it was
 * built (literals, `+=`, `+`, append/extend, split settings). Undefined when an entry or the
 * whole is unknown, or when the settings read do not set it: a module they import that could
 * not be read may set it, and Django's empty default installs no app that uses the session.
 */
export function installedApps(project: { settings: readonly ResolvedSetting[] }): string[] | undefined {
  return strItems(project.settings.find((setting) => setting.name === 'INSTALLED_APPS')?.value);
}
