// A real OpenSSH server inside a lab namespace, and an ssh client config that reaches it: used by the
// lab tests (collect.test.ts) and the collect benchmark (scripts/bench-collect.mjs).
//
// sshd runs as `ip netns exec NS … /usr/sbin/sshd -D -e -f CONFIG`, listening only on that namespace's
// address, with a host key and an authorized key made at test time in a temporary directory. The
// client runs on this machine with `-F` that config (nothing reads or writes ~/.ssh) and reaches the
// lab address through a ProxyCommand that opens the TCP connection from inside another lab namespace
// (tcp-relay.mjs): all traffic stays inside the lab's namespaces.
//
// A "host" may hide or replace commands: `overlays` bind-mounts files over paths (e.g. an empty,
// non-executable file over /usr/sbin/brctl, or a script over /usr/sbin/arp) in sshd's private mount
// namespace (ip netns exec gives it one), so only its sessions see them.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const RELAY = fileURLToPath(new URL('tcp-relay.mjs', import.meta.url));

/** Makes an ed25519 key pair DIR/NAME(.pub); returns the private key's path. */
export function sshKey(dir, name) {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `netsnap-test-${name}`, '-f', path]);
  return path;
}

let privsepCreated = false;

/** sshd wants its privilege-separation directory; made when missing, removed by `removePrivsepDir`. */
function ensurePrivsepDir() {
  if (!existsSync('/run/sshd')) {
    mkdirSync('/run/sshd', { mode: 0o755 });
    privsepCreated = true;
  }
}

export function removePrivsepDir() {
  if (privsepCreated) {
    try {
      rmdirSync('/run/sshd');
    } catch {
      // still in use or already gone
    }
    privsepCreated = false;
  }
}

// Bind-mounts each SOURCE over its TARGET, then execs the rest: `sh -c OVERLAY sh S1 T1 S2 T2 -- CMD…`.
const OVERLAY = 'while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 1; shift 2; done; shift; exec "$@"';

/**
 * Starts sshd in namespace `ns` on `address:port`; resolves once it listens.
 * @returns {Promise<{ ns: string, address: string, port: number, pid: number, log: () => string, stop: () => Promise<void> }>}
 */
export function startSshd({ dir, name, ns, address, port = 22, hostKey, authorizedKeys, overlays = [] }) {
  ensurePrivsepDir();
  const config = join(dir, `sshd-${name}.conf`);
  const authorized = join(dir, `authorized_keys-${name}`);
  writeFileSync(authorized, authorizedKeys.map((k) => `${k.trim()}\n`).join(''));
  writeFileSync(
    config,
    [
      `ListenAddress ${address}:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, `sshd-${name}.pid`)}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'AllowUsers root',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'PrintMotd no',
      '',
    ].join('\n'),
  );
  const pairs = overlays.flatMap((o) => [o.source, o.target]);
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      'sh',
      '-c',
      OVERLAY,
      'sh',
      ...pairs,
      '--',
      '/usr/sbin/sshd',
      '-D',
      '-e',
      '-f',
      config,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sshd ${name} did not start in 10 s: ${log}`)), 10_000);
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    }
    const early = (code) => fail(new Error(`sshd ${name} exited (${code}): ${log}`));
    child.on('exit', early);
    child.stderr.on('data', (text) => {
      log += text;
      if (log.includes(`Server listening on ${address} port ${port}.`)) {
        clearTimeout(timer);
        child.off('exit', early);
        resolve({
          ns,
          address,
          port,
          pid: child.pid,
          log: () => log,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}

/** An ssh client config: one `Host` block per entry, each reached through a relay in `viaNs`. */
export function writeSshConfig(file, { knownHosts, hosts }) {
  const blocks = hosts.map((h) =>
    [
      `Host ${h.alias}`,
      `  HostName ${h.hostName}`,
      `  Port ${h.port ?? 22}`,
      '  User root',
      `  IdentityFile ${h.identityFile}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking accept-new',
      '  UpdateHostKeys no',
      '  LogLevel ERROR',
      `  ProxyCommand ip netns exec ${h.viaNs} ${process.execPath} ${RELAY} %h %p`,
      '',
    ].join('\n'),
  );
  writeFileSync(file, blocks.join('\n'));
  return file;
}
