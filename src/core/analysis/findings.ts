// Findings: the stable codes (the catalogue every view and the docs draw on), what each one carries, and
// how they are ordered.

import type { Severity, SourceLocation } from '../model/types';
import { type Fix, isWithheld } from './fixes';

export const FINDING_CODES = {
  'route-missing': 'error',
  'route-invalid': 'error',
  'route-duplicate': 'warning',
  'route-stale': 'warning',
  'network-overlap': 'error',
  'neigh-missing': 'error',
  'neigh-incomplete': 'error',
  'neigh-stale': 'warning',
  'neigh-mac-mismatch': 'error',
  'fdb-missing': 'error',
  'fdb-stale': 'warning',
  'fdb-dst-mismatch': 'error',
  'fdb-duplicate-dst': 'warning',
  'vtep-missing': 'error',
  'vtep-down': 'error',
  'vtep-config': 'error',
  'vtep-address': 'error',
  'bridge-address': 'error',
  'mtu-mismatch': 'error',
  'veth-unattached': 'error',
  'subnet-env-invalid': 'error',
  'subnet-duplicate': 'error',
  'vtep-mac-duplicate': 'error',
  'cluster-config-mismatch': 'error',
  'annotation-mismatch': 'warning',
  'peer-asymmetry': 'error',
  'cni-config': 'error',
  'snapshot-inconsistent': 'warning',
  'forward-blocked': 'error',
  'vxlan-port-blocked': 'error',
  'firewall-uncertain': 'info',
  'firewall-backends-split': 'warning',
  'flannel-rules-missing': 'warning',
  'firewall-rule-above-flannel': 'warning',
  'forwarding-disabled': 'error',
  'bridge-netfilter-off': 'warning',
  'vxlan-module-missing': 'error',
  'conntrack-full': 'error',
  'neigh-table-overflow': 'error',
  'vtep-checksum-offload': 'info',
  'unrecognized-output': 'info',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_CODES;

/** A message's longest: what the Problems panel shows on one line without cutting it off. */
export const MAX_MESSAGE = 100;

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  node: string;
  file: string;
  line: number;
  endLine?: number;
  /**
   * The impact first, in at most 100 characters ("flnode1 cannot reach pods on flnode3: its neighbour
   * entry holds flnode3's old VTEP MAC"): what the Problems panel shows in one line.
   */
  message: string;
  /**
   * The mechanism: one or two sentences naming the entries involved and why they fail (and why no fix
   * is offered, when one is withheld). Editors show it as the first related information.
   */
  detail?: string;
  /**
   * The iproute2 command(s) that repair it, one per line, to run on `node`; every argument is
   * shell-quoted (fixes.ts). Absent when none is known or it was withheld (the message says why).
   */
  fix?: string;
  /** The other places that prove it (often on another node). */
  related?: RelatedLocation[];
}

export function related(loc: SourceLocation, message: string): RelatedLocation {
  return { file: loc.file, line: loc.line, message };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** Repairs of the device itself come before the entries that depend on it (a route needs its device up). */
const FIX_ORDER: Partial<Record<FindingCode, number>> = {
  'vtep-missing': 0,
  'vtep-down': 0,
  'vtep-config': 1,
  'vtep-address': 1,
  'bridge-address': 1,
};

/** Most severe first, then by node, then device repairs before entry repairs, then by line. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.node.localeCompare(b.node) ||
    a.file.localeCompare(b.file) ||
    (FIX_ORDER[a.code] ?? 2) - (FIX_ORDER[b.code] ?? 2) ||
    a.line - b.line ||
    a.code.localeCompare(b.code)
  );
}

export interface FindingExtra {
  /** The mechanism behind the message's impact (Finding.detail). */
  detail?: string;
  fix?: Fix | undefined;
  /** Overrides the code's usual severity (a parser's note keeps its own). */
  severity?: Severity;
  related?: RelatedLocation[];
}

/** Records a finding about `node` at `loc` (a place in that node's file). */
export type Emit = (
  code: FindingCode,
  node: { name: string; file: string },
  loc: SourceLocation | { file: string; line: number },
  message: string,
  extra?: FindingExtra,
) => void;

export function collector(out: Finding[]): Emit {
  return (code, node, loc, message, extra) => {
    const finding: Finding = {
      code,
      severity: extra?.severity ?? FINDING_CODES[code],
      node: node.name,
      file: loc.file,
      line: loc.line,
      message,
    };
    if ('endLine' in loc && loc.endLine !== undefined) finding.endLine = loc.endLine;
    const fix = extra?.fix;
    const withheld = isWithheld(fix) ? ` (No fix is offered: ${fix.withheld}.)` : '';
    if (extra?.detail !== undefined || withheld !== '')
      finding.detail = `${extra?.detail ?? message}${withheld}`;
    if (fix !== undefined && !isWithheld(fix)) finding.fix = fix;
    if (extra?.related !== undefined && extra.related.length > 0) finding.related = extra.related;
    out.push(finding);
  };
}
