import * as vscode from 'vscode';
import { LOAD_MORE_COMMAND_PREFIX } from './ids';

/** A listing of the view that can show a Load more row: a store's sessions, or its cache drift. */
export interface Listing {
  storeId: string;
  drift: boolean;
}

/**
 * The commands behind the view's Load more rows: one per listing, registered on first use and
 * taking no arguments. VS Code hands a tree item's command arguments over through a handle that
 * it drops as the view redraws, so a click landing while Django's changes redrew the view failed
 * with "Actual command not found". A command without arguments cannot go stale: it loads the
 * next page the listing has when it runs.
 */
export class LoadMoreCommands implements vscode.Disposable {
  private readonly ids = new Map<string, string>();
  private readonly registrations: vscode.Disposable[] = [];

  constructor(private readonly loadMore: (listing: Listing) => Thenable<unknown>) {}

  /** The id of the command that loads `listing`'s next page. */
  idFor(listing: Listing): string {
    const key = `${listing.drift ? 'drift' : 'sessions'}\u0000${listing.storeId}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `${LOAD_MORE_COMMAND_PREFIX}${this.ids.size}`;
      this.ids.set(key, id);
      this.registrations.push(vscode.commands.registerCommand(id, () => this.loadMore(listing)));
    }
    return id;
  }

  dispose(): void {
    this.registrations.forEach((registration) => registration.dispose());
    this.registrations.length = 0;
    this.ids.clear();
  }
}
