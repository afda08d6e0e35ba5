// Types for ssh-lab.mjs (shared by the lab tests and scripts/bench-collect.mjs).
export const RELAY: string;
export function sshKey(dir: string, name: string): string;
export function removePrivsepDir(): void;
export interface Sshd {
  ns: string;
  address: string;
  port: number;
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}
export function startSshd(options: {
  dir: string;
  name: string;
  ns: string;
  address: string;
  port?: number;
  hostKey: string;
  authorizedKeys: string[];
  overlays?: { source: string; target: string }[];
}): Promise<Sshd>;
export function writeSshConfig(
  file: string,
  options: {
    knownHosts: string;
    hosts: { alias: string; hostName: string; port?: number; identityFile: string; viaNs: string }[];
  },
): string;
