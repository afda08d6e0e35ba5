// How a route and an interface read in one line, wherever netsnap shows one: trace hops, diffs, hovers,
// the tree, `netsnap parse`. One wording, so a record reads the same in every view.

import type { Interface, Route } from './types';

const words = (...parts: (string | false | undefined)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');

/** `route -n`'s gateway column when there is none (IPv4, and `route -A inet6 -n`'s next hop). */
const NO_GATEWAY: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** A multipath route's next hops (`nexthop via … dev … weight …`), undefined for a single path. */
export function describeNexthops(r: Route): string | undefined {
  if (r.nexthops === undefined || r.nexthops.length === 0) return undefined;
  return r.nexthops
    .map((h) =>
      words(
        'nexthop',
        h.gateway !== undefined && `via ${h.gateway}`,
        h.dev !== undefined && `dev ${h.dev}`,
        h.weight !== undefined && `weight ${h.weight}`,
        h.onlink && 'onlink',
      ),
    )
    .join(' ');
}

/**
 * A route as `ip route` would print it (`10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink`): the main
 * table and metric 0 left implicit, `route -n`'s gateway 0.0.0.0 or :: (none) left out; with `flags`, the
 * flags `route -n` printed (`(UG)`).
 */
export function describeRoute(r: Route, options: { flags?: boolean } = {}): string {
  return words(
    r.type !== 'unicast' && r.type,
    r.dst,
    r.gateway !== undefined && !NO_GATEWAY.has(r.gateway) && `via ${r.gateway}`,
    r.dev !== undefined && `dev ${r.dev}`,
    r.onlink && 'onlink',
    describeNexthops(r),
    r.metric !== undefined && r.metric !== 0 && `metric ${r.metric}`,
    r.table !== undefined && r.table !== 'main' && `table ${r.table}`,
    options.flags === true && r.flags !== undefined && `(${r.flags})`,
  );
}

/** An interface in one line: name, kind, MAC, MTU, state, bridge, VXLAN settings, addresses. */
export function describeInterface(i: Interface): string {
  const vx = i.vxlan;
  return words(
    i.name,
    `(${i.linkKind ?? i.kind})`,
    i.mac !== undefined && `link/ether ${i.mac}`,
    i.mtu !== undefined && `mtu ${i.mtu}`,
    i.up ? 'up' : 'down',
    i.master !== undefined && `master ${i.master}`,
    vx !== undefined &&
      words(
        'vxlan',
        vx.id !== undefined && `id ${vx.id}`,
        vx.local !== undefined && `local ${vx.local}`,
        vx.dev !== undefined && `dev ${vx.dev}`,
        vx.port !== undefined && `dstport ${vx.port}`,
        vx.learning === false && 'nolearning',
      ),
    i.addresses.length > 0 &&
      `addresses ${i.addresses
        .map((a) => `${a.address}/${a.prefixLen}`)
        .sort()
        .join(', ')}`,
  );
}
