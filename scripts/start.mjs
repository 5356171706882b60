// `npm start`: builds, seeds the demo database, and opens demo/ in a real VS Code with this
// extension loaded from the working tree (an Extension Development Host). Uses the desktop `code`
// when there is one, otherwise code-server, whose URL it prints and serves until Ctrl-C.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { remoteUri, repoRoot, start, workbenchUrl } from './codeServer.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['esbuild.mjs']);
run(process.execPath, ['scripts/seedDemo.mjs']);
const demo = path.join(repoRoot, 'demo');

if (spawnSync('sh', ['-c', 'command -v code']).status === 0) {
  run('code', [`--extensionDevelopmentPath=${repoRoot}`, demo]);
} else {
  // What goes wrong here (a missing prerequisite, a failed install) is said in one line, not a stack trace.
  const server = await start({ workspace: demo }).catch((err) => {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  });
  // The payload makes the window an Extension Development Host, as --extensionDevelopmentPath
  // does on the desktop: the extension loads from the working tree, so a rebuild and a window
  // reload pick up changes without packaging.
  const url = workbenchUrl(server, {
    folder: demo,
    payload: [['extensionDevelopmentPath', remoteUri(server, repoRoot)]],
  });
  console.log(`\nDjango Sessions demo in VS Code (code-server): open\n\n  ${url}\n\nin a browser on this machine. Ctrl-C stops it.`);
  const code = await server.exited;
  console.error(`code-server exited (${code}):\n${server.output()}`);
  await server.stop();
  process.exit(1);
}
