import * as vscode from 'vscode';
import type { StoreInfo } from '../../server/src/protocol';
import { FOCUS_SESSIONS_VIEW, StatusBarItems } from './ids';
import { markdownText } from './markdownText';

/**
 * One status-bar item that says which session store the project uses, so a wrong store
 * (a stale SQLite file, an unexpected engine) is visible without opening the view.
 */
export class StoreStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(StatusBarItems.store, vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Django Sessions';
    this.item.command = FOCUS_SESSIONS_VIEW;
  }

  private stores: StoreInfo[] = [];
  private noProject = false;
  /** Why a store (by label; '' for all of them) cannot be listed. */
  private readonly problems = new Map<string, string>();

  /**
   * Shows the stores as the server last reported them; a store no longer among them has no
   * problem left. Where `noProject` (no Django project found), the item is hidden: another
   * framework's manage.py or settings.py may have started the extension.
   */
  show(stores: StoreInfo[], noProject = false): void {
    this.stores = stores;
    this.noProject = noProject;
    for (const store of this.problems.keys()) {
      if (store !== '' && !stores.some((s) => s.label === store)) {
        this.problems.delete(store);
      }
    }
    this.render();
  }

  /** Marks a store (by label, '' for the list of stores) that cannot be listed, or clears it with undefined. */
  problem(store: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.problems.delete(store);
    } else {
      this.problems.set(store, problem);
    }
    this.render();
  }

  private render(): void {
    const first = this.stores[0];
    // A store the settings do not place is a problem already, before anything tries to list it.
    const unplaced = this.stores
      .filter((s) => s.location.split(' + ').includes('unknown') && !this.problems.has(s.label))
      // Labels, locations and reasons quote settings values and server replies: they are shown as text, never read as Markdown.
      .map((s) => `**${markdownText(s.label)}**: where its sessions live cannot be read from the settings; the Sessions view says why.`);
    const problems = [...[...this.problems].map(([store, problem]) => `${store ? `**${markdownText(store)}**: ` : ''}${markdownText(problem)}`), ...unplaced];
    const warning = problems.length > 0 ? '$(warning) ' : '';
    if (!first) {
      this.item.text = `${warning || '$(database) '}no session store`;
      this.item.tooltip = new vscode.MarkdownString([...problems, 'Django Sessions found no session store in this workspace. Click to open the Sessions view.'].join('\n\n'));
    } else {
      const more = this.stores.length > 1 ? ` +${this.stores.length - 1}` : '';
      this.item.text = `${warning || '$(database) '}${first.engine}${more}`;
      this.item.tooltip = new vscode.MarkdownString([...problems, ...this.stores.map((s) => `**${markdownText(s.label)}**  \n${markdownText(s.location)}`)].join('\n\n'));
    }
    this.item.backgroundColor = problems.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (!first && this.noProject && problems.length === 0) {
      this.item.hide();
    } else {
      this.item.show();
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
