import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, type Connection, type Disposable } from 'vscode-languageserver/node';
import { fileUri } from './fileUri';

/**
 * Watches exactly the environment files discovery read or looked for, wherever they are (a
 * `read_env('config/settings.ini')`, the `.env` above a project at the workspace root), and no
 * other: the model's `affectsDiscovery` decides from the same list which events count.
 */
export class EnvFileWatch {
  private watched = '';
  private registration: Promise<Disposable | undefined> = Promise.resolve(undefined);

  constructor(private readonly connection: Connection) {}

  /** Watches `files` instead of what was watched before; nothing is registered again when they are the same. */
  watch(files: string[]): void {
    const distinct = [...new Set(files)].sort();
    const key = distinct.join('\0');
    if (key === this.watched) {
      return;
    }
    this.watched = key;
    const previous = this.registration;
    this.registration = previous.then(async (old) => {
      old?.dispose();
      const watchers = distinct.map((file) => ({ globPattern: { baseUri: fileUri(path.dirname(file)), pattern: literalGlob(path.basename(file)) } }));
      return watchers.length === 0 ? undefined : this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    }).catch((err: Error) => {
      this.connection.console.warn(`Could not watch the environment files: ${err.message}`);
      return undefined;
    });
  }
}

/** A file name as a glob that matches only itself. */
function literalGlob(name: string): string {
  return name.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}
