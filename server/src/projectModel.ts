import * as path from 'node:path';
import { discoverProjects, type DjangoProject } from '../../engine/src';
import type { ServerSettings } from './protocol';

/**
 * The Django projects of the workspace, read statically once and again whenever a settings file,
 * manage.py or the extension settings change. Stores and settings diagnostics both come from here.
 */
export class ProjectModel {
  private current: Promise<DjangoProject[]> | undefined;
  private known: DjangoProject[] = [];

  constructor(
    private readonly roots: () => string[],
    private readonly settings: () => ServerSettings,
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

  /** Whether editing this file can change what discovery finds. */
  affectsDiscovery(file: string): boolean {
    const base = path.basename(file);
    if (base === 'manage.py' || base === '.env' || base === 'wsgi.py' || base === 'asgi.py') {
      return true;
    }
    return this.known.some((p) => p.settingsFiles.includes(file));
  }

  /** The innermost project that contains the file. */
  projectOf(file: string): DjangoProject | undefined {
    return [...this.known].sort((a, b) => b.root.length - a.root.length).find((p) => file.startsWith(p.root + path.sep)) ?? this.known[0];
  }

  private async read(): Promise<DjangoProject[]> {
    const settingsModule = this.settings().settingsModule || undefined;
    const found = (await Promise.all(this.roots().map((root) => discoverProjects(root, { settingsModule })))).flat();
    this.known = found;
    return found;
  }
}
