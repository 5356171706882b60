import { discoverProjects, type DiscoveryOptions, type DjangoProject } from '../project/discoverProjects';
import { indexDirectory } from './indexDirectory';
import { SessionKeyIndex } from './sessionKeyIndex';

/**
 * Indexes every Python file under `dir` with the Django projects found there, as the CLI's
 * `scan` and `lint` take them: each project is a project of its own for session keys (as each
 * workspace folder is in the editor), and `settings.NAME` keys resolve to its settings.
 */
export async function indexProjects(dir: string, opts: DiscoveryOptions = {}): Promise<{ index: SessionKeyIndex; projects: DjangoProject[]; unreadable: UnreadableFile[] }> {
  // The parser's wasm compiles while the tree is walked and read.
  const loading = SessionKeyIndex.create();
  const unreadable: UnreadableFile[] = [];
  await indexDirectory(loading, dir, { onUnreadable: (file, reason) => unreadable.push({ file, reason }) });
  const index = await loading;
  const projects = await discoverProjects(dir, opts);
  projects.forEach((project) => index.addRoot(project.root));
  index.setProjectSettings(projects);
  return { index, projects, unreadable };
}

/** A file the index found but could not read, and why (the error's message). */
export interface UnreadableFile {
  file: string;
  reason: string;
}
