// Hover: what the token under the cursor is, who owns it, the chain it takes part in (route → neighbour
// → FDB → node) as seen from the host whose section the line is in, and the findings that touch it.
// Returns plain-text parts; `renderMarkdown` escapes them.

import {
  type Chain,
  chainBreak,
  chainForRoute,
  type ChainIssue,
  type ChainStep,
  chainToPeer,
  chainUnknown,
  frameEntry,
  issueAt,
  type StepState,
} from '../analysis/chain';
import { type Finding, severityRank } from '../analysis/findings';
import { DIRECTION_TEXT, networkTraffic } from '../analysis/firewall';
import { lookupRoute } from '../analysis/trace';
import {
  complete,
  familyViews,
  inSubnet,
  isFlannelNode,
  networkKey,
  type NodeView,
  viewOfFamily,
} from '../analysis/view';
import type { HostModel, Interface, Neighbour } from '../model/types';
import { familyOf, formatCidr, ipv4Network, isIPv4, parseCidr } from '../util/ip';
import {
  cite,
  describeFdb,
  describeNeighbour,
  describeRoute,
  findingItem,
  findingsTouching,
  hostLabel,
  ipOwners,
  macOwners,
  subnetOwner,
} from './lookup';
import type { HoverItem, HoverPart, ListRole, Mark } from './markdown';
import { tokenAt, type Token } from './tokens';
import type { DocLocation, HostRef, SnapshotWorkspace } from './workspace';
import { appendAll } from '../util/arrays';

export interface HoverResult {
  token: Token;
  /** 1-based line of the token. */
  line: number;
  /** The full analysis: what "Show full analysis…" opens. */
  parts: HoverPart[];
  /**
   * What the hover shows, short enough for the editor's ~250 px hover: a one-line verdict, what the
   * token is, the path as a compact list, the first fix, and the link to the full analysis.
   */
  brief: HoverPart[];
}

const MAX_ITEMS = 25;
const MAX_FIXES = 3;
const BRIEF_PATH_ITEMS = 6;
const BRIEF_OWNER_ITEMS = 3;

/** The command that opens a position's full analysis as a read-only report (the extension registers it). */
export const SHOW_ANALYSIS_COMMAND = 'netsnap.showAnalysis';

/** What the hover found beside its parts: the findings it shows and the repairs it offers. */
interface Gathered {
  findings: Finding[];
  fixes: Finding[];
}

/** The hover for a position (1-based line, 0-based character) of a workspace document. */
export function hoverAt(
  ws: SnapshotWorkspace,
  key: string,
  line: number,
  character: number,
): HoverResult | undefined {
  if (!ws.has(key)) return undefined;
  const text = ws.lineText(key, line);
  const cluster = ws.scope(key);
  const rule = ruleParts(cluster, key, line);
  const token =
    tokenAt(text, character, ws.interfaceNames()) ?? (rule.length > 0 ? lineToken(text) : undefined);
  if (token === undefined) return undefined;
  const gathered: Gathered = { findings: [], fixes: [] };
  const at = { key, line };
  const parts = token.kind === 'rule' ? [] : tokenParts(cluster, token, at, gathered);
  if (token.kind === 'rule') findingParts(cluster, token, at, cluster.hostAt(key, line), parts, gathered);
  parts.unshift(...rule);
  if (cluster !== ws) alsoElsewhere(ws, cluster, token, parts);
  const brief = briefParts(parts, gathered, ws.hostAt(key, line));
  brief.push({
    kind: 'command',
    title: 'Show full analysis…',
    command: SHOW_ANALYSIS_COMMAND,
    args: [key, line, character],
  });
  return { token, line, parts, brief };
}

const SEVERITY_MARK = { error: 'broken', warning: 'warning', info: 'info' } as const;

/** The worst mark of a path's items: what its one-line verdict says when no finding does. */
function pathMark(items: readonly HoverItem[]): Mark {
  for (const mark of ['broken', 'warning', 'unknown'] as const)
    if (items.some((i) => i.mark === mark)) return mark;
  return 'ok';
}

/** `flnode1.netsnap:7` for `cluster/flnode1.netsnap:7`: the compact list has no room for folders. */
function shortLabel(label: string | undefined): string | undefined {
  return label === undefined ? undefined : label.slice(label.lastIndexOf('/') + 1);
}

function compact(items: readonly HoverItem[], max: number): HoverItem[] {
  const shown = items.slice(0, max).map((i) => {
    const item: HoverItem = { ...i, text: i.short ?? i.text };
    delete item.short;
    const label = shortLabel(i.locLabel);
    if (label !== undefined) item.locLabel = label;
    return item;
  });
  if (items.length > max) shown.push({ text: `… ${items.length - max} more in the full analysis` });
  return shown;
}

/** The node a line is about: the host itself, or the node a pod hangs off (undefined outside any host). */
function nodeName(ref: HostRef | undefined): string | undefined {
  if (ref === undefined) return undefined;
  return ref.host.role === 'pod' ? (ref.node?.name ?? ref.host.name) : ref.host.name;
}

/**
 * The compact hover, taken from the full analysis: the verdict (the worst finding's message, the node's
 * own first; else the path's), what the token is, the path, and the first repair for the node at hand.
 */
function briefParts(full: readonly HoverPart[], gathered: Gathered, ref: HostRef | undefined): HoverPart[] {
  const brief: HoverPart[] = [];
  const node = nodeName(ref);
  const lists = full.filter((p): p is Extract<HoverPart, { kind: 'list' }> => p.kind === 'list');
  const path = lists.find((l) => l.role === 'path');
  // The node at hand's own findings decide; another node's only when there is no path to tell.
  const bySeverity = (list: Finding[]) =>
    [...list].sort((x, y) => severityRank(x.severity) - severityRank(y.severity));
  const own = bySeverity(gathered.findings.filter((f) => node === undefined || f.node === node));
  const others = bySeverity(gathered.findings.filter((f) => !own.includes(f)));
  const worst = own[0] ?? (path === undefined ? others[0] : undefined);
  if (worst !== undefined) {
    const count = gathered.findings.length - 1;
    const more = count > 0 ? ` (+${count} more)` : '';
    const who = worst.node === node || worst.message.startsWith(worst.node) ? '' : `${worst.node}: `;
    brief.push({
      kind: 'verdict',
      mark: SEVERITY_MARK[worst.severity],
      text: `${who}${worst.message} [${worst.code}]${more}`,
    });
  } else if (path !== undefined) {
    const more =
      others.length > 0 ? ` (${others.length} finding${others.length === 1 ? '' : 's'} elsewhere)` : '';
    brief.push({ kind: 'verdict', mark: pathMark(path.items), text: `${path.title}${more}` });
  } else brief.push({ kind: 'verdict', mark: 'info', text: 'No finding touches it.' });
  const title = full.find((p) => p.kind === 'title');
  if (title !== undefined) brief.push(title);
  // The fix before the path: the hover's height is capped, and the fix is what is acted on.
  const fix = gathered.fixes[0];
  if (fix?.fix !== undefined) {
    const others = gathered.fixes.length - 1;
    brief.push({
      kind: 'text',
      text: `Fix for ${fix.code}, to run on ${fix.node}${others > 0 ? ` (${others} more in the full analysis)` : ''}:`,
    });
    brief.push({ kind: 'code', text: fix.fix });
  }
  // The lists go untitled: the verdict and the title above say what they are.
  if (path !== undefined) brief.push({ ...path, title: '', items: compact(path.items, BRIEF_PATH_ITEMS) });
  else {
    const owners = lists.find((l) => l.role === 'owners');
    if (owners !== undefined)
      brief.push({ ...owners, title: '', items: compact(owners.items, BRIEF_OWNER_ITEMS) });
    else {
      const text = full.find((p) => p.kind === 'text');
      if (text !== undefined) brief.push(text);
    }
  }
  return brief;
}

/** What other captures of the workspace say about the token: listed apart, never part of a verdict. */
function alsoElsewhere(
  ws: SnapshotWorkspace,
  cluster: SnapshotWorkspace,
  token: Token,
  parts: HoverPart[],
): void {
  const owners =
    token.kind === 'mac'
      ? macOwners(ws, token.text)
      : token.kind === 'ipv4' || token.kind === 'ipv6'
        ? ipOwners(ws, token.text)
        : [];
  const elsewhere = owners.filter((item) => item.loc !== undefined && !cluster.has(item.loc.key));
  list(parts, 'Also seen in other captures', elsewhere);
}

/** The hover parts (the full analysis) for a token found at `at`. */
export function hoverForToken(ws: SnapshotWorkspace, token: Token, at: DocLocation): HoverPart[] {
  return tokenParts(ws, token, at, { findings: [], fixes: [] });
}

function tokenParts(ws: SnapshotWorkspace, token: Token, at: DocLocation, gathered: Gathered): HoverPart[] {
  const ref = ws.hostAt(at.key, at.line);
  const parts: HoverPart[] = [];
  switch (token.kind) {
    case 'ipv4':
    case 'ipv6':
      ipHover(ws, token.text, ref, parts);
      break;
    case 'cidr':
      cidrHover(ws, token.text, ref, parts);
      break;
    case 'mac':
      macHover(ws, token, ref, parts);
      break;
    case 'interface':
      interfaceHover(ws, token.text, ref, parts);
      break;
    case 'rule':
      // A whole firewall rule line: hoverAt reads it with ruleParts, not as a value.
      break;
  }
  findingParts(ws, token, at, ref, parts, gathered);
  return parts;
}

function lineToken(text: string): Token {
  const start = text.length - text.trimStart().length;
  const raw = text.trim();
  return { kind: 'rule', text: raw, raw, start, end: start + raw.length };
}

const OUTCOME_WORD = { accept: 'ACCEPT', drop: 'DROP', reject: 'REJECT' } as const;

/**
 * On a firewall rule or chain line: which of flannel's traffic this line decides, from the one evaluator
 * the check and trace use (judged for the pod network at large, every protocol).
 */
function ruleParts(ws: SnapshotWorkspace, key: string, line: number): HoverPart[] {
  const ref = ws.hostAt(key, line);
  const view = ref === undefined ? undefined : ws.view(ref.host);
  if (ref === undefined || view === undefined) return [];
  const source = ws.sourceOf(key);
  const here = (loc: { file: string; line: number }) => loc.file === source && loc.line === line;
  let title: string | undefined;
  for (const set of ref.host.netfilter) {
    for (const table of set.tables) {
      for (const chain of table.chains) {
        const where = `${table.family} ${table.name} ${chain.name} (${set.source})`;
        if (here(chain.loc) || (chain.policyLoc !== undefined && here(chain.policyLoc)))
          title = `Chain ${where}${chain.policy === undefined ? '' : `, policy ${chain.policy.toUpperCase()}`}`;
        else if (chain.rules.some((r) => here(r.loc))) title = `Firewall rule in ${where}`;
      }
    }
  }
  if (title === undefined) return [];
  const parts: HoverPart[] = [{ kind: 'title', text: title }];
  if (view.network === undefined) {
    parts.push({
      kind: 'text',
      text: "Without FLANNEL_NETWORK (subnet.env) netsnap cannot tell which of flannel's traffic it decides.",
    });
    return parts;
  }
  const items: HoverItem[] = [];
  for (const { direction, traffic, judged } of networkTraffic(view)) {
    const decided = new Map<string, string[]>();
    for (const dv of [...judged.accepted, ...judged.blocked, ...judged.uncertain]) {
      for (const chain of dv.verdict.chains) {
        const cause = chain.causes.find((c) => here(c.loc));
        if (cause === undefined) continue;
        const word = `${cause.certain ? '' : 'maybe '}${OUTCOME_WORD[cause.outcome]}`;
        decided.set(word, [...(decided.get(word) ?? []), dv.proto.toUpperCase()]);
      }
    }
    for (const [word, protocols] of decided)
      items.push({ text: `${DIRECTION_TEXT[direction]}: ${word} for ${traffic} (${protocols.join(', ')})` });
  }
  if (items.length === 0)
    parts.push({
      kind: 'text',
      text: "It decides none of flannel's traffic between nodes (nothing of it reaches this line, or it does not match).",
    });
  else list(parts, "Decides flannel's traffic between nodes", items, 'path');
  return parts;
}

function list(parts: HoverPart[], title: string, items: HoverItem[], role?: ListRole): void {
  if (items.length === 0) return;
  const shown = items.slice(0, MAX_ITEMS);
  if (items.length > MAX_ITEMS) shown.push({ text: `… and ${items.length - MAX_ITEMS} more` });
  parts.push(
    role === undefined ? { kind: 'list', title, items: shown } : { kind: 'list', title, items: shown, role },
  );
}

/** The node whose tables a line is read against: the host itself, or the node a pod hangs off. */
function nodeOf(
  ws: SnapshotWorkspace,
  ref: HostRef | undefined,
): { node: HostModel; view?: NodeView } | undefined {
  const node = ref === undefined ? undefined : ref.host.role === 'pod' ? ref.node : ref.host;
  if (node === undefined) return undefined;
  const view = ws.view(node);
  return view === undefined ? { node } : { node, view };
}

function ipHover(ws: SnapshotWorkspace, ip: string, ref: HostRef | undefined, parts: HoverPart[]): void {
  parts.push({ kind: 'title', text: `${isIPv4(ip) ? 'IPv4' : 'IPv6'} address ${ip}` });
  const owners = ipOwners(ws, ip);
  const context = nodeOf(ws, ref);
  const familyView = context?.view === undefined ? undefined : viewOfFamily(context.view, familyOf(ip));
  const network = familyView?.network;
  if (familyView !== undefined && network !== undefined && !inSubnet(ip, network)) {
    owners.push({
      text: `outside ${networkKey(familyView)} ${network.cidr} of ${context?.node.name ?? ''}`,
      ...cite(ws, network.loc),
    });
  }
  if (owners.length === 0)
    parts.push({ kind: 'text', text: 'No snapshot in the workspace says which node or interface owns it.' });
  list(parts, 'What it is', owners, 'owners');
  if (context !== undefined) {
    const chain = ipChain(ws, ip, context.node, familyView);
    list(parts, chain.title, chain.items, 'path');
  }
}

function cidrHover(ws: SnapshotWorkspace, text: string, ref: HostRef | undefined, parts: HoverPart[]): void {
  const cidr = parseCidr(text);
  if (cidr === undefined) return;
  const network = cidr.family === 'inet' ? ipv4Network(cidr.address, cidr.prefixLen) : undefined;
  if (network !== undefined && network !== cidr.address) {
    // An interface address with its prefix (`inet 10.27.1.1/24`).
    parts.push({ kind: 'title', text: `IPv4 address ${cidr.address}/${cidr.prefixLen}` });
    parts.push({ kind: 'text', text: `In network ${network}/${cidr.prefixLen}.` });
    list(parts, 'What it is', ipOwners(ws, cidr.address), 'owners');
    return;
  }
  const size = cidr.family === 'inet' ? 2 ** (32 - cidr.prefixLen) : undefined;
  parts.push({
    kind: 'title',
    text:
      size === undefined
        ? `IPv6 network ${text}`
        : `IPv4 network ${text} (${size.toLocaleString('en-US')} address${size === 1 ? '' : 'es'})`,
  });
  const owners: HoverItem[] = cidr.family === 'inet6' ? ipOwners(ws, cidr.address) : [];
  const canonical = formatCidr(cidr);
  for (const peer of ws.peers(cidr.family).peers) {
    if (peer.subnet.cidr === canonical)
      owners.push({ text: `pod subnet of node ${peer.name}`, ...cite(ws, peer.subnet.loc) });
  }
  const seenNetwork = new Set<string>();
  for (const base of ws.views()) {
    const view = viewOfFamily(base, cidr.family);
    if (view?.network?.cidr === canonical && !seenNetwork.has(view.name)) {
      seenNetwork.add(view.name);
      owners.push({
        text: `${networkKey(view)} of ${view.name}: the whole cluster's pod network`,
        ...cite(ws, view.network.loc),
      });
    }
  }
  const context = nodeOf(ws, ref);
  if (context !== undefined) {
    for (const r of context.node.routes) {
      if (r.dst === canonical)
        owners.push({ text: `route on ${context.node.name}: ${describeRoute(r)}`, ...cite(ws, r.loc) });
    }
  }
  list(parts, 'What it is', owners, 'owners');
  if (context !== undefined && cidr.prefixLen > 0) {
    const familyView = context.view === undefined ? undefined : viewOfFamily(context.view, cidr.family);
    const chain = ipChain(ws, cidr.address, context.node, familyView);
    list(parts, chain.title, chain.items, 'path');
  }
}

/**
 * The path to an IP from a node: the route that matches it and, when that route is on the VTEP, the chain
 * it starts as analysis/chain.ts resolves it (the same resolution the findings, trace and graphs use);
 * a neighbour entry on the VTEP that no route uses is shown with what it leads to.
 */
function ipChain(
  ws: SnapshotWorkspace,
  ip: string,
  node: HostModel,
  view: NodeView | undefined,
): { title: string; items: HoverItem[] } {
  const items: HoverItem[] = [];
  const route = lookupRoute(node, ip);
  const vtep = view?.vtepName;
  const viaVtep = route !== undefined && vtep !== undefined && route.dev === vtep;
  if (view === undefined || vtep === undefined || (!viaVtep && !view.vtepNeighbours.has(ip))) {
    if (route !== undefined)
      items.push({ text: `${node.name} routes ${ip} by ${describeRoute(route)}`, ...cite(ws, route.loc) });
    else if (node.routes.length > 0)
      items.push({ text: `${node.name} has no route for ${ip}`, mark: 'broken' });
    return { title: `Route on ${node.name}`, items };
  }
  if (viaVtep) {
    const chain = chainForRoute(view, route, ws.peers(view.family));
    return { title: `Path from ${node.name}: ${chainVerdict(chain)}`, items: chainItems(ws, chain) };
  }
  items.push({
    text:
      route === undefined
        ? `no route for ${ip}: nothing uses this neighbour entry`
        : `no route sends ${ip} to ${vtep}: it goes by ${describeRoute(route)}`,
    mark: 'broken',
    ...cite(ws, route?.loc),
  });
  const neighbour = view.vtepNeighbours.get(ip)?.[0];
  if (neighbour !== undefined) appendAll(items, leadsTo(ws, view, neighbour));
  return { title: `Path from ${node.name}: unused neighbour entry`, items };
}

/** One line for a chain's verdict, from its health: never "broken" and "reached" at once. */
function chainVerdict(chain: Chain): string {
  const broken = chainBreak(chain);
  if (broken !== undefined) return `BROKEN at the ${STEP_WORD[broken.step]} (${broken.code})`;
  const unknown = chainUnknown(chain);
  if (unknown !== undefined) return `cannot tell: the snapshot does not show the ${STEP_WORD[unknown]}`;
  const warning = chain.issues[0];
  if (warning !== undefined) return `reached, with a warning (${warning.code})`;
  return `reached ${chain.peer?.name ?? chain.receiver?.name ?? chain.cidr}`;
}

const STEP_WORD: Record<ChainStep, string> = {
  route: 'route',
  neighbour: 'neighbour entry',
  fdb: 'FDB entry',
  receiver: 'receiving node',
};

function markOf(state: StepState, issue?: ChainIssue): Mark {
  if (issue?.severity === 'warning') return 'warning';
  if (state === 'ok' || state === 'not-needed') return 'ok';
  return state === 'unknown' ? 'unknown' : 'broken';
}

/** An entry the chain needs and the snapshot lacks: missing from a whole listing, or not shown. */
function absentItem(what: string, vtep: string, state: StepState): HoverItem {
  return {
    text:
      state === 'missing'
        ? `no ${what} on ${vtep}`
        : `the ${what} is not in this snapshot (the listing is missing or filtered)`,
    mark: markOf(state),
  };
}

/** Route → neighbour → FDB → node, item by item, from one chain resolution. */
function chainItems(ws: SnapshotWorkspace, chain: Chain): HoverItem[] {
  const items: HoverItem[] = [];
  const { view, peer } = chain;
  const vtep = view.vtepName;
  const issueOf = (step: ChainStep) => issueAt(chain, step);
  const because = (issue: ChainIssue | undefined) => (issue === undefined ? '' : `: ${issue.why}`);
  if (chain.direct !== undefined) {
    items.push({
      text: `route ${describeRoute(chain.direct)} (direct, no tunnel)`,
      short: `route ${chain.direct.dst} direct, no tunnel`,
      mark: 'ok',
      ...cite(ws, chain.direct.loc),
    });
    return items;
  }
  const route = chain.route;
  if (route !== undefined) {
    const issue = issueOf('route');
    items.push({
      text: `route ${describeRoute(route)}${because(issue)}`,
      short: `route ${route.dst}${route.gateway === undefined ? '' : ` via ${route.gateway}`}`,
      mark: markOf(chain.routeState, issue),
      ...cite(ws, route.loc),
    });
  }
  if (chain.neighbourState === 'not-needed') return items;
  const gateway = chain.gateway ?? '?';
  const n = chain.neighbour;
  const nIssue = issueOf('neighbour');
  if (n !== undefined) {
    items.push({
      text: `neighbour ${describeNeighbour(n)}`,
      short: `neighbour ${n.ip} → ${n.mac ?? '(no MAC)'}`,
      mark: markOf(chain.neighbourState, nIssue),
      ...cite(ws, n.loc),
    });
  } else {
    items.push(absentItem(`neighbour entry for ${gateway}`, vtep, chain.neighbourState));
    if (peer?.vtepMac !== undefined)
      items.push({ text: `${peer.name}'s VTEP MAC is ${peer.vtepMac}`, ...cite(ws, peer.vtepMacLoc) });
  }
  if (!chain.resolved) return items;
  const mac = chain.mac;
  if (mac !== undefined) {
    if (chain.fdb.length === 0) items.push(absentItem(`FDB entry for ${mac}`, vtep, chain.fdbState));
    for (const f of chain.fdb) {
      const issue = issueAt(chain, 'fdb', f);
      items.push({
        text: `FDB ${describeFdb(f)}${because(issue)}`,
        short: `FDB ${f.mac} → ${f.dst ?? '(no dst)'}`,
        mark: issue === undefined ? 'ok' : markOf('wrong', issue),
        ...cite(ws, f.loc),
      });
    }
  }
  const receiver = chain.receiver;
  const sent = frameEntry(chain);
  if (sent?.dst !== undefined) {
    if (receiver === undefined)
      items.push({ text: `${sent.dst} is no known node's public IP`, mark: 'unknown' });
    else
      items.push({
        text: `${sent.dst} is the public IP of node ${receiver.name}`,
        short: `${sent.dst} is node ${receiver.name}`,
        mark: chain.misdirected.includes(sent) ? 'broken' : 'ok',
        ...cite(ws, receiver.publicIpLoc),
      });
  }
  const owner = issueOf('receiver') === undefined ? peer : receiver;
  const rejected = chain.issues.find((i) => i.code === 'neigh-mac-mismatch');
  if (owner?.vtepMac !== undefined && rejected !== undefined)
    items.push({
      text: `but ${owner.name}'s live VTEP MAC is ${owner.vtepMac}: ${chain.mac ?? '?'} is stale and frames for it are dropped`,
      short: `${owner.name}'s VTEP MAC is now ${owner.vtepMac}: frames dropped`,
      mark: 'broken',
      ...cite(ws, owner.vtepMacLoc),
    });
  else if (owner?.vtepMac !== undefined && (chain.health === 'ok' || chain.health === 'warning'))
    items.push({
      text: `${owner.name}'s VTEP has MAC ${owner.vtepMac}: ${chain.cidr} is reached`,
      short: `${owner.name}'s VTEP ${owner.vtepMac}: reached`,
      mark: 'ok',
      ...cite(ws, owner.vtepMacLoc),
    });
  return items;
}

/** A neighbour entry no route uses: what it points to, without claiming any path. */
function leadsTo(ws: SnapshotWorkspace, view: NodeView, neighbour: Neighbour): HoverItem[] {
  const items: HoverItem[] = [
    { text: `neighbour ${describeNeighbour(neighbour)}`, ...cite(ws, neighbour.loc) },
  ];
  const fdb = neighbour.mac === undefined ? undefined : view.vtepFdb.get(neighbour.mac)?.[0];
  if (fdb === undefined) return items;
  items.push({ text: `FDB ${describeFdb(fdb)}`, mark: 'ok', ...cite(ws, fdb.loc) });
  const dstPeer = fdb.dst === undefined ? undefined : ws.peers(view.family).byIp.get(fdb.dst);
  if (fdb.dst !== undefined)
    items.push(
      dstPeer === undefined
        ? { text: `${fdb.dst} is no known node's public IP`, mark: 'unknown' }
        : {
            text: `${fdb.dst} is the public IP of node ${dstPeer.name}`,
            mark: 'ok',
            ...cite(ws, dstPeer.publicIpLoc),
          },
    );
  const owner = subnetOwner(ws, neighbour.ip);
  if (owner === undefined) items.push({ text: `no known node owns ${neighbour.ip}`, mark: 'unknown' });
  return items;
}

function macHover(ws: SnapshotWorkspace, token: Token, ref: HostRef | undefined, parts: HoverPart[]): void {
  const mac = token.text;
  const fromBridgeId = token.raw.toLowerCase() !== mac && /^[0-9a-f]{4}\./i.test(token.raw);
  parts.push({
    kind: 'title',
    text: fromBridgeId ? `Bridge id ${token.raw} (MAC ${mac})` : `MAC address ${mac}`,
  });
  const owners = macOwners(ws, mac);
  if (owners.length === 0) {
    parts.push({
      kind: 'text',
      text: "No interface in the workspace has this MAC, and it is no node's VTEP MAC.",
    });
  }
  list(parts, 'What it is', owners, 'owners');
  const context = nodeOf(ws, ref);
  if (context?.view === undefined) return;
  // The family whose VTEP, neighbour or FDB entries know this MAC (a dual-stack node has two VTEPs).
  const view =
    familyViews(context.view).find(
      (v) =>
        v.vtepMac === mac ||
        v.vtepFdb.has(mac) ||
        [...v.vtepNeighbours.values()].some((l) => l.some((n) => n.mac === mac)),
    ) ?? context.view;
  if (view.vtepMac === mac && view.vtep !== undefined) {
    list(parts, `How peers reach ${view.name} (its VTEP MAC)`, peersView(ws, view), 'path');
    return;
  }
  const items = macChain(ws, mac, view);
  if (items.length > 0) list(parts, `On ${view.name}: route → neighbour → FDB → node`, items, 'path');
  const bridged = context.node.fdb.filter((f) => f.mac === mac && f.master !== undefined);
  list(
    parts,
    `Bridge forwarding on ${context.node.name}`,
    bridged.map((f) => ({
      text: `learned on port ${f.dev ?? '?'} of ${f.master ?? '?'}${f.state === undefined ? '' : ` (${f.state})`}`,
      ...cite(ws, f.loc),
    })),
  );
}

/** For a node's own VTEP MAC: how every other node's chain to it resolves. */
function peersView(ws: SnapshotWorkspace, self: NodeView): HoverItem[] {
  const items: HoverItem[] = [];
  const peers = ws.peers(self.family);
  const me = peers.peers.find((p) => p.view === self);
  if (me === undefined) return items;
  for (const base of ws.views()) {
    const other = viewOfFamily(base, self.family);
    if (other === undefined || other === self || !isFlannelNode(base)) continue;
    const chain = chainToPeer(other, me, peers);
    if (chain.direct !== undefined) {
      items.push({
        text: `${other.name}: direct route, no tunnel`,
        mark: 'ok',
        ...cite(ws, chain.direct.loc),
      });
      continue;
    }
    const n = chain.neighbour;
    const network = me.subnet.network;
    if (n !== undefined) {
      items.push({
        text: `${other.name}: neighbour ${describeNeighbour(n)}${n.mac === self.vtepMac ? '' : ` — not ${self.vtepMac ?? ''}`}`,
        mark: markOf(chain.neighbourState, issueAt(chain, 'neighbour')),
        ...cite(ws, n.loc),
      });
    } else if (chain.neighbourState === 'missing') {
      items.push({ text: `${other.name}: no neighbour entry for ${network}`, mark: 'broken' });
    }
    const mac = self.vtepMac;
    const f = mac === undefined ? undefined : other.vtepFdb.get(mac)?.[0];
    if (f !== undefined) {
      const ok = self.publicIp === undefined || f.dst === self.publicIp;
      items.push({
        text: `${other.name}: FDB ${describeFdb(f)}`,
        mark: ok ? 'ok' : 'broken',
        ...cite(ws, f.loc),
      });
    } else if (complete(other, 'fdb') && mac !== undefined) {
      items.push({ text: `${other.name}: no FDB entry for ${mac}`, mark: 'broken' });
    }
  }
  return items;
}

/** For a MAC on a node's VTEP: the chain of every route whose neighbour entry leads to it, or its leftovers. */
function macChain(ws: SnapshotWorkspace, mac: string, view: NodeView): HoverItem[] {
  const items: HoverItem[] = [];
  const neighbours = [...view.vtepNeighbours.values()].flat().filter((n) => n.mac === mac);
  const fdbs = view.vtepFdb.get(mac) ?? [];
  if (neighbours.length === 0 && fdbs.length === 0) return items;
  const peers = ws.peers(view.family);
  for (const n of neighbours) {
    const routes = view.flannelRoutes.filter((r) => r.gateway === n.ip);
    if (routes.length === 0) appendAll(items, leadsTo(ws, view, n));
    for (const r of routes) appendAll(items, chainItems(ws, chainForRoute(view, r, peers)));
  }
  if (neighbours.length > 0) return items;
  const full = complete(view, 'neighbours');
  items.push({
    text: full
      ? `no neighbour entry on ${view.vtepName} points to ${mac}: no route uses this FDB entry`
      : `no neighbour entry for ${mac} in this snapshot (the listing is missing or filtered)`,
    mark: full ? 'broken' : 'unknown',
  });
  for (const f of fdbs) {
    const dstPeer = f.dst === undefined ? undefined : peers.byIp.get(f.dst);
    items.push({ text: `FDB ${describeFdb(f)}`, ...cite(ws, f.loc) });
    if (f.dst === undefined) continue;
    if (dstPeer === undefined) items.push({ text: `${f.dst} is no known node's public IP`, mark: 'unknown' });
    else
      items.push({
        text:
          dstPeer.vtepMac === undefined || dstPeer.vtepMac === mac
            ? `${f.dst} is the public IP of node ${dstPeer.name}`
            : `${f.dst} is node ${dstPeer.name}, whose live VTEP MAC is ${dstPeer.vtepMac}: ${mac} is an old one`,
        ...cite(ws, dstPeer.vtepMacLoc ?? dstPeer.publicIpLoc),
      });
  }
  return items;
}

function interfaceHover(
  ws: SnapshotWorkspace,
  name: string,
  ref: HostRef | undefined,
  parts: HoverPart[],
): void {
  const host = ref?.host;
  let itf: Interface | undefined = host?.interfaces.find((i) => i.name === name);
  let owner = host;
  if (itf === undefined) {
    const other = ws.hosts().find((h) => h.host.interfaces.some((i) => i.name === name));
    if (
      other !== undefined &&
      host?.bridges.some((b) => b.name === name || b.ports.some((p) => p.name === name)) !== true
    ) {
      owner = other.host;
      itf = other.host.interfaces.find((i) => i.name === name);
    }
  }
  const bridge = owner?.bridges.find((b) => b.name === name);
  const kind = itf?.linkKind ?? itf?.kind ?? (bridge !== undefined ? 'bridge' : undefined);
  parts.push({
    kind: 'title',
    text: `Interface ${name}${owner === undefined ? '' : ` on ${hostLabel(owner)}`}${kind === undefined ? '' : ` (${kind})`}`,
  });
  const items: HoverItem[] = [];
  if (itf !== undefined) {
    items.push({ text: `defined here`, ...cite(ws, itf.loc) });
    if (itf.mac !== undefined) items.push({ text: `MAC ${itf.mac}` });
    const state = [itf.up ? 'up' : 'down', itf.operState === undefined ? '' : `state ${itf.operState}`]
      .filter((x) => x !== '')
      .join(', ');
    items.push({ text: `${state}${itf.mtu === undefined ? '' : `, MTU ${itf.mtu}`}` });
    for (const a of itf.addresses)
      items.push({ text: `address ${a.address}/${a.prefixLen}`, ...cite(ws, a.loc) });
    const x = itf.vxlan;
    if (x !== undefined) {
      items.push({
        text: [
          'VXLAN',
          x.id === undefined ? '' : `VNI ${x.id}`,
          x.port === undefined ? '' : `port ${x.port}`,
          x.local === undefined ? '' : `local ${x.local}`,
          x.dev === undefined ? '' : `dev ${x.dev}`,
          x.learning === undefined ? '' : x.learning ? 'learning' : 'nolearning',
        ]
          .filter((s) => s !== '')
          .join(' '),
      });
    }
    if (itf.master !== undefined)
      items.push({
        text: `port of bridge ${itf.master}${itf.portState === undefined ? '' : ` (${itf.portState})`}`,
      });
    if (itf.linkNetns !== undefined) items.push({ text: `peer in network namespace ${itf.linkNetns}` });
  }
  if (owner !== undefined) {
    for (const b of owner.bridges) {
      const port = b.ports.find((p) => p.name === name);
      if (port !== undefined)
        items.push({
          text: `port of bridge ${b.name}${port.state === undefined ? '' : ` (${port.state})`}`,
          ...cite(ws, port.loc),
        });
    }
    const routes = owner.routes.filter((r) => r.dev === name).length;
    const neighbours = owner.neighbours.filter((n) => n.dev === name).length;
    const fdb = owner.fdb.filter((f) => f.dev === name).length;
    if (routes + neighbours + fdb > 0)
      items.push({
        text: `${routes} route${routes === 1 ? '' : 's'}, ${neighbours} neighbour${neighbours === 1 ? '' : 's'}, ${fdb} FDB entr${fdb === 1 ? 'y' : 'ies'} on it`,
      });
  }
  list(parts, 'What it is', items, 'owners');
  if (bridge !== undefined) {
    list(
      parts,
      `Bridge ${bridge.name}${bridge.bridgeId === undefined ? '' : ` (id ${bridge.bridgeId})`}: ${bridge.ports.length} port${bridge.ports.length === 1 ? '' : 's'}`,
      bridge.ports.map((p) => ({ text: p.name, ...cite(ws, p.loc) })),
    );
  }
  if (itf === undefined && bridge === undefined)
    parts.push({ kind: 'text', text: 'No interface listing in the workspace describes it.' });
}

function findingParts(
  ws: SnapshotWorkspace,
  token: Token,
  at: DocLocation,
  ref: HostRef | undefined,
  parts: HoverPart[],
  gathered: Gathered,
): void {
  let findings = findingsTouching(ws, token, at);
  // An interface name is only meaningful per host: cni0 on one node is not cni0 on another.
  if (token.kind === 'interface' && ref !== undefined) {
    const source = ws.sourceOf(at.key);
    findings = findings.filter((f) => f.node === ref.host.name || (f.file === source && f.line === at.line));
  }
  if (findings.length === 0) return;
  gathered.findings = findings;
  list(
    parts,
    findings.length === 1 ? 'Finding' : 'Findings',
    findings.map((f) => findingItem(ws, f)),
    'findings',
  );
  // Repairs are per node: show those for the node this line is about (or all, outside any node).
  const node = nodeName(ref);
  const fixes = findings.filter((f) => f.fix !== undefined && (node === undefined || f.node === node));
  gathered.fixes = fixes;
  for (const f of fixes.slice(0, MAX_FIXES)) {
    parts.push({ kind: 'text', text: `Fix for ${f.code}, to run on ${f.node}:` });
    parts.push({ kind: 'code', text: f.fix ?? '' });
  }
}
