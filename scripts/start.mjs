// `npm start`: builds, prints the model of the bundled example (so the main job shows in any terminal),
// then opens the examples in VS Code with the extension loaded:
// - with a `code` command on PATH: `code --extensionDevelopmentPath=<repo> examples/`;
// - otherwise the browser-hosted VS Code the e2e tests use (code-server, installed by test/e2e/setup.sh
//   outside the repo), serving on loopback until Ctrl-C, and prints its URL;
// - without either it says how to install code-server and exits 0.
// `npm start -- --no-editor` stops after the model.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerIn, e2eCacheDir, serveWithExtension } from './code-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(repo, 'examples');
const example = join('examples', 'k8snode028.netsnap');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** The first executable called `name` on PATH. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// 1. Build, and the model of the example.
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
const parsed = run(process.execPath, ['dist/cli.js', 'parse', example]);
if (parsed !== 0) process.exit(parsed);
if (process.argv.includes('--no-editor')) process.exit(0);

// 2. A desktop (or remote) VS Code.
const code = onPath(process.platform === 'win32' ? 'code.cmd' : 'code');
if (code !== undefined) {
  console.log(`\nnetsnap: opening ${examples} in VS Code with the extension loaded from ${repo}`);
  process.exit(run(code, [`--extensionDevelopmentPath=${repo}`, examples]));
}

// 3. The browser-hosted VS Code of the e2e tests.
const cache = e2eCacheDir();
if (codeServerIn(cache) === undefined) {
  console.log(`
netsnap: no \`code\` command on PATH, and no verified install of the browser-hosted VS Code (code-server)
in ${cache}. To open the example with the extension in a browser, install it once (several minutes and
800 MB, outside the repo; needs Debian's libkrb5-dev):

    bash test/e2e/setup.sh

then run npm start again. (Or install VS Code and put its \`code\` command on PATH.)`);
  process.exit(0);
}

console.log('\nnetsnap: packaging the extension and installing it into code-server…');
if (run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0)
  process.exit(1);
let served;
try {
  served = await serveWithExtension({
    cache,
    vsix: join(repo, 'dist', 'netsnap.vsix'),
    folder: examples,
    state: join(cache, 'start'),
    cwd: repo,
  });
} catch (error) {
  console.error(`netsnap: could not start code-server: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const { server, url } = served;
let announced = false;
const watch = (chunk) => {
  if (!announced && /HTTP server listening/.test(String(chunk))) {
    announced = true;
    console.log(
      `\nnetsnap: VS Code (code-server) with the extension is serving the examples at\n\n    ${url}\n\nOpen it in a browser on this machine; Ctrl-C stops it.`,
    );
  }
};
server.stdout.on('data', watch);
server.stderr.on('data', (chunk) => {
  watch(chunk);
  if (/error/i.test(String(chunk))) process.stderr.write(chunk);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (status, signal) => {
  if (!announced) console.error('netsnap: code-server stopped before it was ready.');
  process.exit(signal === null ? (status ?? 0) : 0);
});
