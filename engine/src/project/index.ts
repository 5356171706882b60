/**
 * Static discovery of Django projects: manage.py → settings module (split settings,
 * environment, `.env`, django-environ, dj_database_url) → `StoreDescriptor[]`.
 *
 * - `discoverProjects(workspaceRoot, { settingsModule?, env? })`: every project, each with
 *   its stores, resolved settings (with locations), Django version and problems.
 * - `settingsVariants(project)`: the settings modules a project can run with (dev, prod, …).
 * - `settingValueToJson`: a setting's value as plain JSON for display and `scan --json`.
 * - `installedApps(project)`: INSTALLED_APPS where the settings give it statically.
 *
 * Nothing here runs project code; what cannot be read is reported as a problem with its
 * location. Locations are 1-based lines and 0-based UTF-16 columns (`SourceLocation`).
 */
export { enclosingProjectRoot } from './enclosingProjectRoot';
export { envFileVariablesNote } from './envFileVariablesNote';
export type { SettingsText } from './settingsEvaluation';
export { discoverProjects, readProject, type DiscoveryOptions, type DjangoProject, type ResolvedSetting } from './discoverProjects';
export type { ProjectProblem, ValueSpan } from './evaluationContext';
export type { DjangoVersion } from './djangoVersion';
export { settingValueToJson, type SettingValue } from './settingValue';
export { installedApps } from './installedApps';
export { parseDotEnv } from './dotEnv';
export { moduleFileCandidates } from './moduleFile';
export { settingsVariants, type SettingsVariant } from './settingsVariants';
