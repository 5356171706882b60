/**
 * The few parts of the `vscode` API the Sessions view's data provider uses, for testing its
 * bookkeeping (pages, refreshes, filters) in plain Node; the real VS Code runs it in the
 * integration tests. Importing this module makes `require('vscode')` return the stub.
 */
import Module from 'node:module';

class EventEmitter<T> {
  private readonly listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T): void {
    this.listeners.forEach((listener) => listener(value));
  }
  dispose(): void {}
}

class TreeItem {
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}

/** The status-bar items made, newest last, for tests to read what they show. */
export const statusBarItems: { text?: string; tooltip?: { value: string }; backgroundColor?: unknown; command?: string; show(): void; dispose(): void }[] = [];

const stub = {
  EventEmitter,
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  StatusBarAlignment: { Left: 1, Right: 2 },
  TreeItem,
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  MarkdownString: class {
    constructor(readonly value: string) {}
  },
  Uri: { parse: (value: string) => ({ value }) },
  Range: class {
    constructor(
      readonly startLine: number,
      readonly startCharacter: number,
      readonly endLine: number,
      readonly endCharacter: number,
    ) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  workspace: { isTrusted: true, getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }) },
  window: {
    showErrorMessage: () => undefined,
    showInformationMessage: () => undefined,
    createStatusBarItem: () => {
      const item = { show: () => undefined, dispose: () => undefined };
      statusBarItems.push(item);
      return item;
    },
  },
  commands: { executeCommand: async () => undefined },
};

const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? stub : load.call(this, request, ...rest);
};
