// Collecting snapshots from nodes (local, ssh, netns, any command): the API the CLI and the VS Code
// extension use.
export {
  collect,
  collectorCommand,
  collectorInput,
  describeTarget,
  programName,
  resolveOptions,
  DEFAULTS,
} from './collect';
export { formatCommandLine, splitCommandLine } from './command-line';
export type { CollectOptions, CollectResult, CollectTarget } from './collect';
export { COLLECTOR_SCRIPT } from './script';
export { sshHosts } from './ssh-config';
export type { SshHost, SshHostsOptions } from './ssh-config';
export {
  CollectInputError,
  validateCommand,
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
