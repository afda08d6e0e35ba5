// The real-kernel tier: builds a flannel-style VXLAN data plane in network namespaces (test/lab/lab.sh)
// and checks netsnap against it. It needs root and iproute2; without them it says plainly that it
// skipped — and under CI (CI set) a skip is a failure, because CI must run every tier.
import { spawnSync } from 'node:child_process';
import { runProject, skipTier } from './tier.mjs';

function missing() {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  for (const tool of ['ip', 'bridge', 'brctl', 'arp', 'route', 'ping', 'ssh', 'ssh-keygen', 'sshd']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
    if (!found)
      return `${tool} is not installed (apt-get install iproute2 bridge-utils net-tools iputils-ping openssh-server openssh-client)`;
  }
  return undefined;
}

const why = missing();
if (why !== undefined) skipTier('lab', `${why}. The real-kernel tests did not run.`);
runProject('lab');
