import * as path from 'node:path';
import type { DiscoveryOptions, DjangoProject } from '../project/discoverProjects';
import { withSecretsMasked } from '../project/settingSecrets';
import { settingValueToJson } from '../project/settingValue';
import { indexProjects, type UnreadableFile } from './indexProjects';
import { settingValueText } from './settingHover';
import { rangeJson } from './range';
import type { ResolvedUsage } from './sessionKeyIndex';
import type { UnresolvedSessionKey } from './sessionKeyUsage';

/** A `SESSION_*` setting as the settings leave it. */
export interface ScannedSetting {
  name: string;
  /** Plain JSON; an unresolvable value is `{ "unresolved": reason }`. */
  value: unknown;
  /** The value as Python spells it (`True`, `'Lax'`), or why it cannot be told. */
  text: string;
  file: string;
  /** 1-based. */
  line: number;
}

/** What `django-sessions scan DIR` reports. */
export interface ProjectScan {
  usages: ResolvedUsage[];
  unresolved: UnresolvedSessionKey[];
  settings: ScannedSetting[];
  /** The projects found, whose settings were read. */
  projects: DjangoProject[];
  /** The files found but not read, which the usages leave out. */
  unreadable: UnreadableFile[];
}

/** Indexes every Python file under `dir` (see indexProjects) and reads the `SESSION_*` settings of its projects, credentials masked. */
export async function scanProject(dir: string, opts: DiscoveryOptions = {}): Promise<ProjectScan> {
  const { index, projects, unreadable } = await indexProjects(dir, opts);
  const settings = projects.flatMap((project) =>
    project.settings
      .filter((setting) => setting.name.startsWith('SESSION_'))
      .map((setting) => {
        const shown = withSecretsMasked(setting.name, setting.value);
        return { name: setting.name, value: settingValueToJson(shown), text: settingValueText(shown), file: setting.location.file, line: setting.location.line };
      }),
  );
  return { usages: index.usages(), unresolved: index.unresolved(), settings, projects, unreadable };
}

/**
 * The `scan --json` document of issue 6: files relative to `root`, 1-based lines,
 * 0-based UTF-16 columns, snake_case fields.
 */
export function scanJson(scan: ProjectScan, root: string): { usages: object[]; unresolved: object[]; settings: object[] } {
  // Thousands of usages share a few hundred files: path.relative is worth computing once per file.
  const relativePaths = new Map<string, string>();
  // Below a resolved root, a normalized path's relative form is what follows the root's;
  // path.relative would resolve both paths again for each file.
  const prefix = path.resolve(root) === root ? root + path.sep : undefined;
  const relative = (file: string): string => {
    let relativePath = relativePaths.get(file);
    if (relativePath === undefined) {
      const below = prefix && file.startsWith(prefix) && path.normalize(file) === file ? file.slice(prefix.length) : path.relative(root, file);
      relativePath = below.split(path.sep).join('/');
      relativePaths.set(file, relativePath);
    }
    return relativePath;
  };
  const place = (u: Omit<UnresolvedSessionKey, 'reason'>) => ({
    op: u.op,
    file: relative(u.file),
    ...rangeJson(u.range),
    in_test: u.inTest,
  });
  return {
    usages: scan.usages.map((u) => ({ key: u.key, ...place(u) })),
    unresolved: scan.unresolved.map((u) => ({ ...place(u), reason: u.reason, ...(u.nonStr !== undefined ? { non_str_key: u.nonStr } : {}) })),
    settings: scan.settings.map((s) => ({ name: s.name, value: s.value, file: relative(s.file), line: s.line })),
  };
}
