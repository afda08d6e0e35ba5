// "Every line is accounted for": covered by a record, skipped as understood, or reported as an issue.
import type { Facts } from '../../../src/core/model/types';
import type { Line, ParseResult } from '../../../src/core/parsers/parser';

function recordRanges(facts: Facts): { line: number; endLine?: number }[] {
  const out: { line: number; endLine?: number }[] = [];
  const add = (r: { loc: { line: number; endLine?: number } } | undefined): void => {
    if (r !== undefined) out.push(r.loc);
  };
  for (const list of [
    facts.interfaces,
    facts.routes,
    facts.neighbours,
    facts.fdb,
    facts.bridges,
    facts.cniConfigs,
    facts.kubeNodes,
    facts.netns,
  ]) {
    for (const r of list ?? []) add(r);
  }
  for (const b of facts.bridges ?? []) for (const p of b.ports) add(p);
  for (const i of facts.interfaces ?? []) for (const a of i.addresses) add(a);
  for (const r of facts.routes ?? []) for (const n of r.nexthops ?? []) add(n);
  for (const c of facts.cniConfigs ?? []) for (const p of c.plugins) add(p);
  add(facts.subnetEnv);
  for (const v of facts.subnetEnv?.vars ?? []) add(v);
  add(facts.cniBinaries);
  add(facts.hostname);
  for (const set of facts.netfilter ?? []) {
    add(set);
    for (const t of set.tables) {
      add(t);
      for (const c of t.chains) {
        add(c);
        add(c.policyLoc === undefined ? undefined : { loc: c.policyLoc });
        for (const r of c.rules) add(r);
      }
    }
  }
  add(facts.iptablesVersion);
  for (const list of [
    facts.sysctls,
    facts.ethtoolDrivers,
    facts.modules,
    facts.moduleErrors,
    facts.snmp,
    facts.kernelLog,
    facts.conntrackStats,
  ]) {
    for (const r of list ?? []) add(r);
  }
  for (const e of facts.ethtoolFeatures ?? []) {
    add(e);
    for (const f of e.features) add(f);
  }
  add(facts.kernelRelease);
  return out;
}

/** Lines of the input that no record, skip or issue accounts for (should be none). */
export function uncoveredLines(lines: readonly Line[], result: ParseResult): number[] {
  const covered = new Set<number>(result.skipped);
  for (const issue of result.issues) {
    for (let l = issue.line; l <= (issue.endLine ?? issue.line); l++) covered.add(l);
  }
  for (const r of recordRanges(result.facts)) {
    for (let l = r.line; l <= (r.endLine ?? r.line); l++) covered.add(l);
  }
  return lines.filter((l) => !covered.has(l.line)).map((l) => l.line);
}
