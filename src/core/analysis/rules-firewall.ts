// Checks of a node's firewall against the traffic flannel carries: what FORWARD does with pod traffic in
// both directions and INPUT with the tunnel packets (blocked: an error on the deciding rule or policy
// line; undecidable: a note naming the match netsnap cannot evaluate), rules split between the two
// iptables backends, flannel's own chains missing while flannel runs, and a DROP/REJECT placed above
// flannel's accepts that stops part of the pod traffic.

import type {
  NetfilterChain,
  NetfilterRule,
  NetfilterRuleset,
  NetfilterTable,
  SourceLocation,
} from '../model/types';
import { AGGREGATE_ABOVE, count, sampleList } from './aggregate';
import {
  type Direction,
  type DirectionVerdict,
  DEFAULT_VXLAN_PORT,
  describeTraffic,
  DIRECTION_TEXT,
  type FarEnd,
  hasFirewall,
  packetClassFor,
  PROBE_PROTOCOLS,
  verdictsForAll,
  subnetRange,
} from './firewall';
import { type Emit, related } from './findings';
import { allLines, type Fix, iptablesInsertAccept, iptablesProgram, nftInsertAccept } from './fixes';
import {
  backendOf,
  blockingCause,
  chainNamed,
  type Cause,
  type ChainVerdict,
  effectiveTables,
  ruleTruth,
  type PacketClass,
} from './netfilter';
import type { PeerIndex } from './peers';
import type { NodeView } from './view';

/** The peers this node's traffic is judged with: the cluster's other nodes, else the pod network at large. */
export function farEnds(view: NodeView, peers: PeerIndex): FarEnd[] {
  const out: FarEnd[] = peers.peers
    .filter((p) => p.name !== view.name && p.subnet.cidr !== view.subnet?.cidr)
    .map((p) => {
      const end: FarEnd = { name: p.name, subnet: p.subnet };
      if (p.publicIp !== undefined) end.publicIp = p.publicIp;
      return end;
    });
  if (out.length === 0 && view.network !== undefined)
    out.push({ name: 'the other nodes', subnet: view.network });
  return out;
}

function chainLabel(v: ChainVerdict): string {
  const set = v.ruleset;
  const backend =
    set.source === 'nft' ? 'nftables' : set.source === 'iptables' ? 'iptables' : `${set.source} backend`;
  return `${v.table.family} ${v.table.name} ${v.chain.name} (${backend})`;
}

function causeText(cause: Cause, v: ChainVerdict): string {
  const where = cause.path.length > 1 ? ` in ${cause.path.join(' → ')}` : '';
  if (cause.rule === undefined) {
    const counters =
      v.chain.policyPackets === undefined ? '' : `, ${count(v.chain.policyPackets)} packets so far`;
    return `the policy ${cause.outcome.toUpperCase()} of ${chainLabel(v)}${counters}: no rule before it accepts them`;
  }
  const counters = cause.rule.packets === undefined ? '' : ` (${count(cause.rule.packets)} packets so far)`;
  return `\`${cause.rule.text}\`${where} of ${chainLabel(v)}${counters}`;
}

/** Flannel's accepts placed at the top of the base chain that blocks, in that chain's own language. */
function acceptFix(view: NodeView, v: ChainVerdict, direction: Direction): Fix | undefined {
  const base = v.chain;
  const { table, ruleset } = v;
  if (direction === 'tunnel') {
    const port = String(view.port ?? DEFAULT_VXLAN_PORT);
    if (ruleset.source === 'nft')
      return nftInsertAccept(table.family, table.name, base.name, ['udp', 'dport', port]);
    const program = iptablesProgram(backendOf(ruleset, view.host), table.family === 'ip6' ? 'ip6' : 'ip');
    return iptablesInsertAccept(program, table.name, base.name, ['-p', 'udp', '-m', 'udp', '--dport', port]);
  }
  const network = view.network?.cidr;
  if (network === undefined) return undefined;
  if (ruleset.source === 'nft') {
    return allLines([
      nftInsertAccept(table.family, table.name, base.name, ['ip', 'daddr', network]),
      nftInsertAccept(table.family, table.name, base.name, ['ip', 'saddr', network]),
    ]);
  }
  const program = iptablesProgram(backendOf(ruleset, view.host), table.family === 'ip6' ? 'ip6' : 'ip');
  const comment = ['-m', 'comment', '--comment', 'flanneld forward'];
  return allLines([
    iptablesInsertAccept(program, table.name, base.name, ['-d', network, ...comment]),
    iptablesInsertAccept(program, table.name, base.name, ['-s', network, ...comment]),
  ]);
}

interface Blocked {
  direction: Direction;
  /** Both FORWARD directions stopped by the same rule make one finding. */
  both: boolean;
  verdict: ChainVerdict;
  cause: Cause;
  /** In the order first blocked; a set, since each peer is met once per protocol. */
  peers: Set<FarEnd>;
  protocols: Set<string>;
}

function protocolsText(protocols: ReadonlySet<string>, direction: Direction): string {
  if (direction === 'tunnel') return '';
  return protocols.size === 3 ? '' : ` (${[...protocols].join(', ').toUpperCase()} only)`;
}

function emitBlocked(view: NodeView, b: Blocked, emit: Emit): void {
  const peers = [...b.peers];
  const names = peers.map((p) => p.name);
  const first = peers[0]!;
  const far = peers.length === 1 ? first : { name: `${count(peers.length)} peers (${sampleList(names)})` };
  const traffic = b.both
    ? `pod traffic between ${view.name}'s pods and ${far.name}${peers.length === 1 && first.subnet !== undefined ? ` (${first.subnet.cidr})` : ''}, both ways`
    : describeTraffic(view, far, b.direction);
  const hook = DIRECTION_TEXT[b.direction];
  const code = b.direction === 'tunnel' ? 'vxlan-port-blocked' : 'forward-blocked';
  const verb = b.cause.outcome === 'reject' ? 'rejects' : 'drops';
  const message = `${view.name}'s ${hook} ${verb} ${traffic}${protocolsText(b.protocols, b.direction)}: ${causeText(b.cause, b.verdict)}.`;
  const rel = [
    related(b.verdict.chain.loc, `base chain ${b.verdict.chain.name} on the ${hook.toLowerCase()} hook`),
  ];
  for (const p of peers.slice(0, AGGREGATE_ABOVE)) {
    if (p.subnet !== undefined) rel.push(related(p.subnet.loc, `${p.name}'s pod subnet ${p.subnet.cidr}`));
  }
  emit(
    code,
    view,
    b.cause.loc,
    `${code === 'vxlan-port-blocked' ? `${view.name} gets no tunnel traffic from ${far.name}: ${hook} ${verb} it` : `Pods on ${view.name} and ${far.name} cannot talk: ${hook} ${verb} the traffic`}`,
    { detail: message, fix: acceptFix(view, b.verdict, b.direction), related: rel },
  );
}

function emitUncertain(view: NodeView, direction: Direction | 'both', v: ChainVerdict, emit: Emit): void {
  const drop = v.causes.find((c) => c.outcome !== 'accept');
  const unknown = v.unknowns[0];
  const hook = direction === 'both' ? 'FORWARD' : DIRECTION_TEXT[direction];
  const what =
    direction === 'tunnel'
      ? 'the VXLAN packets from other nodes'
      : direction === 'both'
        ? 'pod traffic between its pods and other nodes'
        : direction === 'inbound'
          ? "other nodes' pod traffic to its pods"
          : "its pods' traffic to other nodes";
  const because = unknown === undefined ? '' : ` (${unknown.why})`;
  const dropText = drop === undefined ? '' : `; if it does not, ${causeText(drop, v)} stops them`;
  const at = unknown?.loc ?? drop?.loc ?? v.chain.loc;
  const rel =
    drop === undefined ? [] : [related(drop.loc, `the ${drop.outcome.toUpperCase()} it may come to`)];
  emit(
    'firewall-uncertain',
    view,
    at,
    `${view.name}'s ${hook} may block flannel's traffic: the listing does not let netsnap decide`,
    {
      detail: `netsnap cannot tell whether ${view.name}'s ${hook} lets ${what} through: it depends on what the listing does not let it decide${because}${dropText}.`,
      related: rel,
    },
  );
}

/** FORWARD and INPUT verdicts for every peer, findings grouped by the rule that decides. */
function checkVerdicts(view: NodeView, ends: readonly FarEnd[], emit: Emit): void {
  const blocked = new Map<string, Blocked>();
  const uncertain = new Map<Direction, ChainVerdict>();
  for (const [end, verdicts] of verdictsForAll(view, ends)) {
    for (const dv of verdicts) collect(dv, end, blocked, uncertain);
  }
  for (const b of blocked.values()) emitBlocked(view, b, emit);
  const noted = new Set<string>();
  for (const [direction, v] of uncertain) {
    // An uncertain INPUT/FORWARD already blocked for certain for other peers says nothing new.
    if ([...blocked.values()].some((b) => b.direction === direction)) continue;
    const other = direction === 'inbound' ? 'outbound' : direction === 'outbound' ? 'inbound' : undefined;
    const both = other !== undefined && uncertain.get(other)?.unknowns[0]?.loc === v.unknowns[0]?.loc;
    // Both FORWARD directions left open by the same line: one note, as for a block.
    const key = `${both ? 'forward' : direction} ${v.unknowns[0]?.loc.line ?? v.chain.loc.line}`;
    if (noted.has(key)) continue;
    noted.add(key);
    emitUncertain(view, both ? 'both' : direction, v, emit);
  }
}

function collect(
  dv: DirectionVerdict,
  end: FarEnd,
  blocked: Map<string, Blocked>,
  uncertain: Map<Direction, ChainVerdict>,
): void {
  const { verdict, direction } = dv;
  if (verdict.decision === 'drop' || verdict.decision === 'reject') {
    const cause = blockingCause(verdict);
    const decided = verdict.decidedBy;
    if (cause === undefined || decided === undefined) return;
    const key = `${direction === 'tunnel' ? 'input' : 'forward'} ${cause.loc.file}:${cause.loc.line}`;
    let b = blocked.get(key);
    if (b === undefined) {
      b = { direction, both: false, verdict: decided, cause, peers: new Set(), protocols: new Set() };
      blocked.set(key, b);
    } else if (b.direction !== direction) b.both = true;
    b.peers.add(end);
    b.protocols.add(dv.proto);
  } else if (
    verdict.decision === 'uncertain' &&
    verdict.decidedBy !== undefined &&
    !uncertain.has(direction)
  ) {
    uncertain.set(direction, verdict.decidedBy);
  }
}

function ruleCount(ruleset: NetfilterRuleset): number {
  let n = 0;
  for (const t of ruleset.tables) for (const c of t.chains) n += c.rules.length;
  return n;
}

/** Does a filter table hold anything that acts: a rule, or a DROP policy? */
function acts(ruleset: NetfilterRuleset): boolean {
  return ruleset.tables.some(
    (t) => t.name === 'filter' && t.chains.some((c) => c.rules.length > 0 || c.policy === 'drop'),
  );
}

/** Rules in both iptables backends: the kernel runs both, and each `iptables` shows only its own. */
function checkBackends(view: NodeView, emit: Emit): void {
  const host = view.host;
  const iptables = host.netfilter.filter((r) => r.source !== 'nft');
  const legacy = iptables.find((r) => backendOf(r, host) === 'legacy' && acts(r));
  const nft = iptables.find((r) => backendOf(r, host) === 'nf_tables' && acts(r));
  if (legacy !== undefined && nft !== undefined) {
    emit(
      'firewall-backends-split',
      view,
      legacy.loc,
      `A DROP on ${view.name} may go unseen: it has iptables rules in both backends`,
      {
        detail: `${view.name} has iptables rules in both backends (legacy: ${count(ruleCount(legacy))} rules, nf_tables: ${count(ruleCount(nft))}): the kernel applies both, but \`iptables\` shows and edits only one, so a DROP in the other goes unseen.`,
        related: [related(nft.loc, 'the nf_tables rules')],
      },
    );
    return;
  }
  const warned = host.netfilter.find((r) => r.legacyTablesPresent !== undefined);
  if (warned?.legacyTablesPresent !== undefined && legacy === undefined) {
    const listed = iptables.some((r) => backendOf(r, host) === 'legacy');
    if (!listed) {
      emit(
        'firewall-backends-split',
        view,
        warned.legacyTablesPresent,
        `${view.name}'s firewall verdict is unknown: its iptables-legacy tables are not listed`,
        {
          detail: `${view.name} also has iptables-legacy tables, which this snapshot does not list: the kernel applies them too, so the firewall's verdict is not known until \`iptables-legacy-save\` is added.`,
        },
      );
    }
  }
}

const FLANNEL_COMMENT = 'flanneld';

function isFlannelChain(name: string): boolean {
  return name.startsWith('FLANNEL');
}

/** Flannel's forward chain (or its accepts) in a complete iptables filter listing of a running flannel node. */
function checkFlannelRules(view: NodeView, emit: Emit): void {
  const host = view.host;
  if (view.vtep === undefined || host.subnetEnv === undefined) return;
  const complete = host.netfilter.filter((r) => r.partial === undefined);
  if (complete.length === 0 || host.netfilter.length !== complete.length) return;
  // flannel in nftables mode keeps its rules in its own table.
  if (host.netfilter.some((r) => r.tables.some((t) => t.name.includes('flannel')))) return;
  const hasFlannel = host.netfilter.some((r) =>
    r.tables.some((t) =>
      t.chains.some(
        (c) =>
          isFlannelChain(c.name) || c.rules.some((rule) => rule.comment?.includes(FLANNEL_COMMENT) === true),
      ),
    ),
  );
  if (hasFlannel) return;
  const filter = complete.find((r) => r.source !== 'nft' && r.tables.some((t) => t.name === 'filter'));
  if (filter === undefined) return;
  emit(
    'flannel-rules-missing',
    view,
    filter.loc,
    `${view.name} may drop pod traffic after a firewall change: flannel's iptables rules are gone`,
    {
      detail: `flannel runs on ${view.name} (${view.vtepName}, subnet.env) but its iptables rules are gone: no FLANNEL-FWD chain and no "flanneld forward" accept. A firewall reload (\`firewall-cmd --reload\`, \`iptables-restore\`) wipes them; restarting flanneld on the node writes them again.`,
    },
  );
}

/** The rules of a base chain up to flannel's jump or accept, in order, following user chains jumped to. */
function rulesBeforeFlannel(
  table: NetfilterTable,
  chain: NetfilterChain,
  seen: Set<NetfilterChain>,
  out: NetfilterRule[],
): boolean {
  seen.add(chain);
  for (const rule of chain.rules) {
    if (
      (rule.target !== undefined && isFlannelChain(rule.target)) ||
      rule.comment?.includes(FLANNEL_COMMENT) === true
    )
      return true;
    out.push(rule);
    if (rule.verdict === 'jump' || rule.verdict === 'goto') {
      const target = rule.target === undefined ? undefined : chainNamed(table, rule.target);
      if (target !== undefined && !seen.has(target) && rulesBeforeFlannel(table, target, seen, out))
        return true;
    }
  }
  return false;
}

/**
 * A DROP or REJECT above flannel's accepts that some pod traffic between nodes matches: even when
 * today's flows pass, the next one that matches it is stopped before flannel's accept is reached.
 */
function checkRulesAboveFlannel(view: NodeView, reported: ReadonlySet<string>, emit: Emit): void {
  const network = view.network;
  if (network === undefined) return;
  const range = subnetRange(network);
  // Pod traffic with any other node, both ways, every protocol.
  const classes = (['inbound', 'outbound'] as const)
    .flatMap((direction) => PROBE_PROTOCOLS.map((proto) => packetClassFor(view, range, direction, proto)))
    .filter((c): c is PacketClass => c !== undefined);
  for (const { table } of effectiveTables(view.host)) {
    for (const chain of table.chains) {
      if (chain.hook !== 'forward') continue;
      const before: NetfilterRule[] = [];
      if (!rulesBeforeFlannel(table, chain, new Set(), before)) continue;
      for (const rule of before) {
        if (rule.verdict !== 'drop' && rule.verdict !== 'reject') continue;
        if (reported.has(`${rule.loc.file}:${rule.loc.line}`)) continue;
        if (!classes.some((c) => ruleTruth(rule, c) !== 'no')) continue;
        emit(
          'firewall-rule-above-flannel',
          view,
          rule.loc,
          `A rule above flannel's accepts on ${view.name} stops some pod traffic between nodes`,
          {
            detail: `\`${rule.text}\` sits above flannel's accepts in ${chain.name} and matches some pod traffic between nodes (${network.cidr}): what it matches never reaches them.`,
          },
        );
      }
    }
  }
}

export function checkFirewall(view: NodeView, peers: PeerIndex, emit: Emit): void {
  if (!hasFirewall(view.host)) return;
  const found: { loc: SourceLocation }[] = [];
  // Rules already reported as blocking are not repeated; a note that a verdict is uncertain does not
  // stand in for the warning about a rule above flannel's accepts (`--dport 53 -j REJECT`).
  const tracking: Emit = (code, node, loc, message, extra) => {
    if (code !== 'firewall-uncertain') found.push({ loc });
    emit(code, node, loc, message, extra);
  };
  checkVerdicts(view, farEnds(view, peers), tracking);
  checkBackends(view, emit);
  checkFlannelRules(view, emit);
  checkRulesAboveFlannel(view, new Set(found.map((f) => `${f.loc.file}:${f.loc.line}`)), emit);
}
