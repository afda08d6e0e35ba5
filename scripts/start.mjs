// `npm start`: builds, shows the main job in any terminal — the findings of the bundled examples (the
// broken cluster's errors with their lines and fixes, the seed's stale neighbour), then a short summary of
// the model read from them — and opens the examples in VS Code with the extension loaded:
// - with a `code` command on PATH: `code --extensionDevelopmentPath=<repo> examples/`;
// - otherwise the browser-hosted VS Code the e2e tests use (code-server, installed by test/e2e/setup.sh
//   outside the repo), serving on loopback until Ctrl-C, and prints its URL;
// - without either it says how to install code-server and exits 0.
// `npm start -- --no-editor` stops after the summary.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerIn, e2eCacheDir, serveWithExtension } from './code-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(repo, 'examples');

/** What `npm start` checks, each as a user would: the CLI on one cluster (a folder) or one file. */
const SHOWN = [
  {
    path: join('examples', 'cluster-vtep-mac-changed'),
    about: "flnode3's VTEP MAC changed and its peers kept the old one",
  },
  { path: join('examples', 'k8snode028.netsnap'), about: 'the seed: one node, pasted by hand' },
];

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

/** The `.netsnap` files of a path: itself, or those in the folder. */
function snapshotFiles(path) {
  if (path.endsWith('.netsnap')) return [path];
  return readdirSync(join(repo, path))
    .filter((f) => f.endsWith('.netsnap'))
    .sort()
    .map((f) => join(path, f));
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per host of each example: what netsnap read (`netsnap parse` prints it in full). */
function modelSummary() {
  const { parseSnapshot } = createRequire(import.meta.url)(join(repo, 'dist', 'core.js'));
  const lines = [];
  for (const { path } of SHOWN) {
    lines.push(`  ${path}`);
    for (const file of snapshotFiles(path)) {
      for (const host of parseSnapshot(readFileSync(join(repo, file), 'utf8'), file).nodes) {
        const counts = [
          plural(host.interfaces.length, 'interface'),
          plural(host.routes.length, 'route'),
          plural(host.neighbours.length, 'neighbour'),
          plural(host.fdb.length, 'FDB entry', 'FDB entries'),
          ...(host.pods.length === 0 ? [] : [plural(host.pods.length, 'pod')]),
        ];
        lines.push(`    ${host.name.padEnd(11)} ${counts.join(', ')}`);
      }
    }
  }
  return lines.join('\n');
}

// 1. Build; the findings of the examples, as `netsnap check` prints them; what was read.
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
for (const { path, about } of SHOWN) {
  console.log(`\n$ netsnap check ${path}    # ${about}\n`);
  // 1 is "errors found": the point of the example, not a failure of npm start.
  const status = run(process.execPath, ['dist/cli.js', 'check', path]);
  if (status > 1) process.exit(status);
}
console.log(`\nWhat netsnap read (netsnap parse PATH prints it in full):\n${modelSummary()}`);
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
netsnap: to see the same in the editor, open the examples with the extension loaded. There is no
\`code\` command on PATH, and no verified install of the browser-hosted VS Code (code-server) in
${cache}.
To use one in a browser, install it once (several minutes and 800 MB, outside the repo; needs
Debian's libkrb5-dev):

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
