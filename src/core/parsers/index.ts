// The registry: every parser, in the order raw-paste detection tries them (most specific signature first).

import { arpParser } from './arp';
import { brctlParser } from './brctl';
import { bridgeFdbParser } from './bridge-fdb';
import { bridgeLinkParser } from './bridge-link';
import { cniBinParser } from './cni-bin';
import { cniConfigParser } from './cni-config';
import { conntrackParser } from './conntrack';
import { ethtoolParser } from './ethtool';
import { hostnameParser } from './hostname';
import { ifconfigParser } from './ifconfig';
import { ipLinkParser } from './ip-link';
import { ipNeighParser } from './ip-neigh';
import { ipNetnsParser } from './ip-netns';
import { iptablesParser } from './iptables';
import { ipRouteParser } from './ip-route';
import { kernelLogParser } from './kernel-log';
import { kubectlNodesParser } from './kubectl-nodes';
import { lsmodParser } from './lsmod';
import { nftParser } from './nft';
import type { Parser, ParserId } from './parser';
import { procNetSnmpParser } from './proc-net-snmp';
import { routeNParser } from './route-n';
import { subnetEnvParser } from './subnet-env';
import { sysctlParser } from './sysctl';
import { unameParser } from './uname';

export const parsers: readonly Parser[] = [
  routeNParser,
  nftParser,
  arpParser,
  brctlParser,
  bridgeFdbParser,
  bridgeLinkParser,
  ipLinkParser,
  ifconfigParser,
  ipNeighParser,
  ipRouteParser,
  subnetEnvParser,
  kubectlNodesParser,
  cniConfigParser,
  ipNetnsParser,
  cniBinParser,
  lsmodParser,
  procNetSnmpParser,
  kernelLogParser,
  hostnameParser,
  sysctlParser,
  ethtoolParser,
  unameParser,
  conntrackParser,
  iptablesParser,
];

const byId = new Map<ParserId, Parser>(parsers.map((p) => [p.id, p]));

export function parserById(id: ParserId): Parser | undefined {
  return byId.get(id);
}

/** The parser for an unwrapped command, if any reads it. */
export function parserForCommand(argv: readonly string[]): Parser | undefined {
  return parsers.find((p) => p.matchesCommand(argv));
}

export type { Parser, ParserId, ParserInput, ParseResult, Line, CommandLine } from './parser';
