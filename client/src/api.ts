import type { ServerReadyParams } from '../../server/src/protocol';
import type { SessionsTree } from './sessionsTree';

/** What `activate` returns: used by integration tests and by other extensions. */
export interface DjangoSessionsApi {
  /** Settles when the language server has indexed the workspace and found its stores. */
  ready: Promise<ServerReadyParams>;
  /** The Sessions view's data, as the view itself sees it. */
  sessionsTree: SessionsTree;
}
