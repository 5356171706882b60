import * as path from 'node:path';
import { discoverProjects, settingsVariants, type DjangoProject, type SettingsVariant } from '../../engine/src';
import { isWithin } from './pathWithin';
import { withoutPasswordKey } from './passwordCipher';
import type { ServerSettings } from './protocol';

/** The project whose settings a file sees, for the features on `SESSION_*` settings. */
export interface SettingScope {
  project: DjangoProject | undefined;
  /** A settings module spells its settings as bare names, where completion offers them too. */
  inSettingsModule: boolean;
}

/**
 * The Django projects of the workspace, read statically once and again whenever a settings file,
 * manage.py, an environment file they read or the extension settings change. Stores and settings
 * diagnostics both come from here.
 */
export class ProjectModel {
  private current: Promise<DjangoProject[]> | undefined;
  private known: DjangoProject[] = [];
  /** The settings modules each project can also run with (`prod.py` beside `dev.py`), beyond its configured one. */
  private others: { project: DjangoProject; variant: SettingsVariant }[] = [];

  /** `onRead` hears every reading, e.g. to watch the environment files it read. */
  constructor(
    private readonly roots: () => string[],
    private readonly settings: () => ServerSettings,
    private readonly onRead: (projects: DjangoProject[]) => void = () => undefined,
  ) {}

  /** The projects as last read, reading them first if needed. */
  projects(): Promise<DjangoProject[]> {
    this.current ??= this.read();
    return this.current;
  }

  /** Forgets what was read, so the next call reads the settings again. */
  invalidate(): void {
    this.current = undefined;
  }

  /**
   * Whether editing this file can change what discovery finds: an entry point, a settings file or
   * an environment file the last reading read or looked for (a `.env.example` it never read does not).
   * Given a folder (deleted or moved), whether it holds such a file.
   */
  affectsDiscovery(file: string): boolean {
    const base = path.basename(file);
    if (base === 'manage.py' || base === 'wsgi.py' || base === 'asgi.py') {
      return true;
    }
    const read = (files: string[]) => files.some((known) => isWithin(file, known));
    return this.known.some((p) => read(p.settingsFiles) || read(p.envFiles) || read([p.managePy])) || this.others.some(({ variant }) => read(variant.files));
  }

  /**
   * Which project's settings a file sees, and whether it is one of that project's settings
   * modules. A settings module the project is not configured with (`prod.py` while manage.py
   * names `dev`) sees the settings it makes itself, and the modules it imports them from.
   */
  async settingScope(file: string): Promise<SettingScope> {
    await this.projects();
    const owner = this.known.find((p) => p.settingsFiles.includes(file));
    if (owner) {
      return { project: owner, inSettingsModule: true };
    }
    const other = this.others.find(({ variant }) => variant.files.includes(file));
    if (other) {
      return { project: { ...other.project, settings: other.variant.settings, settingsFiles: other.variant.files }, inSettingsModule: true };
    }
    return { project: this.projectOf(file), inSettingsModule: false };
  }

  /** The innermost project that contains the file. */
  projectOf(file: string): DjangoProject | undefined {
    return [...this.known].sort((a, b) => b.root.length - a.root.length).find((p) => file.startsWith(p.root + path.sep)) ?? this.known[0];
  }

  private async read(): Promise<DjangoProject[]> {
    const settingsModule = this.settings().settingsModule || undefined;
    const env = withoutPasswordKey(process.env);
    const found = (await Promise.all(this.roots().map((root) => discoverProjects(root, { settingsModule, env })))).flat();
    const others = await Promise.all(found.map(async (project) => (await settingsVariants(project, { settingsModule, env })).slice(1).map((variant) => ({ project, variant }))));
    this.known = found;
    this.others = others.flat();
    this.onRead(found);
    return found;
  }
}
