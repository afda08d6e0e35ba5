// The legend: what each colour, shape and line style of the current view means. Built from text and
// CSS-drawn swatches (classes in webview.css, colours from the theme's variables), never from HTML.

type Swatch = string;

interface Entry {
  swatch: Swatch;
  text: string;
}

const HEALTH: Entry[] = [
  { swatch: 'colour ok', text: 'healthy' },
  { swatch: 'colour warning', text: 'warning (⚠ and a count)' },
  { swatch: 'colour error', text: 'error (✖ and a count)' },
  { swatch: 'colour unknown', text: 'unknown: not in the snapshots' },
];

const CLUSTER: Entry[] = [
  { swatch: 'shape node', text: 'node with a snapshot' },
  { swatch: 'shape cause', text: 'cause: on every broken tunnel' },
  { swatch: 'shape uncaptured', text: 'peer not captured (its entries unknown)' },
  { swatch: 'shape stale', text: 'stale leftover entry (see its finding)' },
  { swatch: 'line arrows', text: 'tunnel; each arrowhead: the entries for that direction' },
  { swatch: 'line dashed', text: 'entries leading to a leftover' },
];

const NODE: Entry[] = [
  { swatch: 'shape pod', text: 'pod' },
  { swatch: 'shape veth', text: 'veth (port of a bridge)' },
  { swatch: 'shape box', text: 'bridge (cni0) or the host' },
  { swatch: 'shape vtep', text: 'VTEP (flannel.1), local or a peer’s' },
  { swatch: 'shape underlay', text: 'underlay device' },
  { swatch: 'shape filter', text: 'firewall and kernel settings' },
  { swatch: 'line solid', text: 'link; coloured: tunnel to a peer' },
];

export function fillLegend(into: HTMLElement, view: 'cluster' | 'node'): void {
  const list = document.createElement('ul');
  for (const entry of [...HEALTH, ...(view === 'cluster' ? CLUSTER : NODE)]) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${entry.swatch}`;
    swatch.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.textContent = entry.text;
    item.append(swatch, text);
    list.append(item);
  }
  const title = document.createElement('h3');
  title.textContent = view === 'cluster' ? 'Cluster view' : 'Node view: the packet goes left to right';
  into.replaceChildren(title, list);
}
