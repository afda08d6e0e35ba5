// Collecting snapshots from nodes (local, ssh, netns): the API the CLI and the VS Code extension use.
export { collect, collectorCommand, describeTarget, resolveOptions, DEFAULTS } from './collect';
export type { CollectOptions, CollectResult, CollectTarget } from './collect';
export { COLLECTOR_SCRIPT } from './script';
export { sshHosts } from './ssh-config';
export type { SshHost, SshHostsOptions } from './ssh-config';
export {
  CollectInputError,
  validateFsRoot,
  validateNetnsName,
  validateNodeName,
  validateSshHost,
} from './validate';
export {
  clusterFolderName,
  runBounded,
  safeFileComponent,
  snapshotFileName,
  timestamp,
  uniqueName,
} from './files';
export type { Settled } from './files';
