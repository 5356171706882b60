import type { ServerReadyParams } from '../../server/src/protocol';
import type * as vscode from 'vscode';
import type { SessionsNode, SessionsTree } from './sessionsTree';

/** What `activate` returns: used by integration tests and by other extensions. */
export interface DjangoSessionsApi {
  /** Settles when the language server has indexed the workspace and found its stores. */
  ready: Promise<ServerReadyParams>;
  /** The Sessions view's data, as the view itself sees it. */
  sessionsTree: SessionsTree;
  /** The Sessions view, with the rows it shows selected. */
  sessionsView: vscode.TreeView<SessionsNode>;
}
