import * as path from 'node:path';
import { discoverProjects, isWithin, moduleFileCandidates, readTextFile, settingsVariants, type DjangoProject, type SettingsText, type SettingsVariant } from '../../engine/src';
import { toFilePath } from './fileUri';
import { withoutPasswordKey } from './passwordCipher';
import type { ServerSettings } from './protocol';

/** Named like settings (`settings_prod.py`), or a settings package (`config/settings/prod.py`), where settingsVariants looks. */
const SETTINGS_LIKE = /settings/i;

/** The project whose settings a file sees, for the features on `SESSION_*` settings. */
export interface SettingScope {
  project: DjangoProject | undefined;
  /** A settings module spells its settings as bare names, where completion offers them too. */
  inSettingsModule: boolean;
  /**
   * For code outside the settings, the other settings modules the project can run with (`prod.py`
   * that wsgi.py names, beside the `dev.py` of manage.py): `settings.X` there is theirs when deployed.
   */
  others?: readonly SettingsVariant[];
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
   * an environment file the last reading read or looked for (a `.env.example` it never read does not),
   * or a Python file that may be a settings module the last reading did not know (see mayBeSettings).
   * Given a folder (deleted or moved), whether it holds such a file.
   */
  affectsDiscovery(file: string): boolean {
    const base = path.basename(file);
    if (base === 'manage.py' || base === 'wsgi.py' || base === 'asgi.py') {
      return true;
    }
    const read = (files: string[]) => files.some((known) => isWithin(file, known));
    return this.known.some((p) => read(p.settingsFiles) || read(p.envFiles) || read([p.managePy])) || this.others.some(({ variant }) => read(variant.files)) || this.mayBeSettings(file);
  }

  /**
   * Whether a Python file may be a settings module, such as one just created: named like settings
   * or in a settings package, where settingsVariants finds the modules a project can also run
   * with; or the missing module a project is configured with.
   */
  private mayBeSettings(file: string): boolean {
    if (!file.endsWith('.py')) {
      return false;
    }
    if (SETTINGS_LIKE.test(path.basename(file)) || SETTINGS_LIKE.test(path.basename(path.dirname(file)))) {
      return true;
    }
    return this.known.some((p) => p.settingsFiles.length === 0 && p.settingsModule !== undefined && moduleFileCandidates(p.root, undefined, p.settingsModule).includes(file));
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
    const project = this.projectOf(file);
    const others = this.others.filter((other) => other.project === project).map(({ variant }) => variant);
    return { project, inSettingsModule: false, ...(others.length > 0 ? { others } : {}) };
  }

  /** The innermost project that contains the file, of those last read or of `projects`. */
  projectOf(file: string, projects: readonly DjangoProject[] = this.known): DjangoProject | undefined {
    return [...projects].sort((a, b) => b.root.length - a.root.length).find((p) => file.startsWith(p.root + path.sep)) ?? projects[0];
  }

  /** Every settings module the last reading read, those of the modules a project can also run with too. */
  settingsFilesRead(): string[] {
    return [...this.known.flatMap((p) => p.settingsFiles), ...this.others.flatMap(({ variant }) => variant.files)];
  }

  /**
   * The projects as their settings read with `settingsText`, an editor's unsaved text: what the
   * settings findings are of while a settings module is being edited. Not kept: the stores follow
   * the files on disk, which Django runs.
   */
  async asEdited(settingsText: SettingsText): Promise<DjangoProject[]> {
    return (await Promise.all(this.roots().map((root) => discoverProjects(root, { ...this.discoveryOptions(root), settingsText })))).flat();
  }

  /**
   * The projects as the editors have their settings: read again with `settingsText` while a
   * settings module holds unsaved changes (see asEdited), else as last read from disk.
   */
  async asOpen(settingsText: SettingsText): Promise<DjangoProject[]> {
    const onDisk = await this.projects();
    const edited = this.settingsFilesRead().some((file) => settingsText(file) !== readDiskText(file));
    return edited ? this.asEdited(settingsText) : onDisk;
  }

  /**
   * Which project a settings module belongs to as the editors have the settings (see asOpen): what
   * the features on a setting's value read, so they agree with the settings findings meanwhile.
   */
  async openProjectOf(file: string, settingsText: SettingsText): Promise<DjangoProject | undefined> {
    const scope = await this.settingScope(file);
    if (!scope.inSettingsModule) {
      return scope.project;
    }
    return (await this.asOpen(settingsText)).find((p) => p.settingsFiles.includes(file)) ?? scope.project;
  }

  /** The folder's own `settingsModule` setting: a value meant for one folder's project is no other folder's. */
  private discoveryOptions(root: string): { settingsModule: string | undefined; env: NodeJS.ProcessEnv } {
    const modules = this.settings().settingsModules;
    const uri = Object.keys(modules).find((folder) => toFilePath(folder) === root);
    return { settingsModule: (uri !== undefined && modules[uri]) || undefined, env: withoutPasswordKey(process.env) };
  }

  private async read(): Promise<DjangoProject[]> {
    const perRoot = await Promise.all(
      this.roots().map(async (root) => {
        const opts = this.discoveryOptions(root);
        const projects = await discoverProjects(root, opts);
        const others = await Promise.all(projects.map(async (project) => (await settingsVariants(project, opts)).slice(1).map((variant) => ({ project, variant }))));
        return { projects, others: others.flat() };
      }),
    );
    const found = perRoot.flatMap(({ projects }) => projects);
    this.known = found;
    this.others = perRoot.flatMap(({ others }) => others);
    this.onRead(found);
    return found;
  }
}

function readDiskText(file: string): string | undefined {
  try {
    return readTextFile(file);
  } catch {
    return undefined;
  }
}
