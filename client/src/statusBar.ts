import * as vscode from 'vscode';
import type { StoreInfo } from '../../server/src/protocol';
import { Commands, StatusBarItems } from './ids';

/**
 * One status-bar item that says which session store the project uses, so a wrong store
 * (a stale SQLite file, an unexpected engine) is visible without opening the view.
 */
export class StoreStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(StatusBarItems.store, vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Django Sessions';
    this.item.command = Commands.focusSessions;
  }

  /** Shows the stores as the server last reported them. */
  show(stores: StoreInfo[]): void {
    const first = stores[0];
    if (!first) {
      this.item.text = '$(database) no session store';
      this.item.tooltip = 'Django Sessions found no session store in this workspace. Click to open the Sessions view.';
    } else {
      const more = stores.length > 1 ? ` +${stores.length - 1}` : '';
      this.item.text = `$(database) ${first.engine}${more}`;
      this.item.tooltip = new vscode.MarkdownString(stores.map((s) => `**${s.label}**  \n${s.location}`).join('\n\n'));
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
