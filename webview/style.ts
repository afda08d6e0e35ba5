// The cytoscape stylesheet: shapes by element kind, colours by health, from the workbench theme.

import type cytoscape from 'cytoscape';
import type { Theme } from './theme';

export interface Size {
  width: number;
  height: number;
}

/** Drawn size of each kind but the boxes (host, bridge), which are fitted around their members. */
const NODE_SIZE: Record<string, Size> = {
  node: { width: 28, height: 28 },
  'stale-peer': { width: 22, height: 22 },
  'uncaptured-peer': { width: 22, height: 22 },
  underlay: { width: 34, height: 20 },
  vtep: { width: 30, height: 26 },
  'remote-vtep': { width: 30, height: 26 },
  interface: { width: 22, height: 16 },
  filter: { width: 24, height: 24 },
  veth: { width: 16, height: 12 },
  pod: { width: 18, height: 18 },
  group: { width: 60, height: 24 },
};
const DEFAULT_SIZE: Size = { width: 22, height: 22 };

/** The cluster view's label size: the view opens with labels at least 10 px high on screen. */
export const CLUSTER_FONT_SIZE = 11;

export function sizeOf(kind: string): Size {
  return NODE_SIZE[kind] ?? DEFAULT_SIZE;
}

export function stylesheet(t: Theme): cytoscape.StylesheetJson {
  const colours: [string, string][] = [
    ['ok', t.ok],
    ['warning', t.warning],
    ['error', t.error],
    ['unknown', t.unknown],
  ];
  const nodeHealth: cytoscape.StylesheetJson = colours.map(([h, colour]) => ({
    selector: `node[health = "${h}"]`,
    style: { 'background-color': colour, 'border-color': colour },
  }));
  const edgeHealth: cytoscape.StylesheetJson = colours.map(([h, colour]) => ({
    selector: `edge[health = "${h}"]`,
    style: { 'line-color': colour },
  }));
  // A tunnel's two directions: the arrowhead at B is A's entries for B (A → B), the one at A is B's.
  const directions: cytoscape.StylesheetJson = colours.flatMap(([h, colour]) => [
    { selector: `edge[?both][forward = "${h}"]`, style: { 'target-arrow-color': colour } },
    { selector: `edge[?both][back = "${h}"]`, style: { 'source-arrow-color': colour } },
  ]);
  // Where a label sits (the cluster's ring puts each outside it, pointing away from the centre).
  const sides: cytoscape.StylesheetJson = [
    {
      selector: 'node[halign = "left"]',
      style: { 'text-halign': 'left', 'text-margin-x': -4, 'text-justification': 'right' },
    },
    {
      selector: 'node[halign = "right"]',
      style: { 'text-halign': 'right', 'text-margin-x': 4, 'text-justification': 'left' },
    },
    { selector: 'node[valign = "top"]', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
    { selector: 'node[valign = "center"]', style: { 'text-valign': 'center', 'text-margin-y': 0 } },
    { selector: 'node[valign = "bottom"]', style: { 'text-valign': 'bottom', 'text-margin-y': 4 } },
  ];
  // Few properties per element: cytoscape re-checks caches and emits events for each property of each
  // element on its first frame, so what most elements do not need (labels while zoomed out, draw order)
  // is given only to those that do.
  return [
    {
      selector: 'node',
      style: { ...DEFAULT_SIZE, 'border-width': t.highContrast ? 3 : 2 },
    },
    {
      selector: 'node.labelled',
      style: {
        label: 'data(display)',
        'text-wrap': 'wrap',
        'font-size': 10,
        'font-family': t.font,
        color: t.foreground,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        // Text under 6 px on screen is not drawn: unreadable, and drawing it was a good part of a first frame.
        'min-zoomed-font-size': 6,
      },
    },
    {
      selector: 'node[kind = "node"], node[kind = "stale-peer"], node[kind = "uncaptured-peer"]',
      style: { 'font-size': CLUSTER_FONT_SIZE },
    },
    ...sides,
    ...nodeHealth,
    { selector: 'node[kind = "node"]', style: { shape: 'round-rectangle', ...sizeOf('node') } },
    { selector: 'node[problems > 0]', style: { 'border-width': 5, 'border-color': t.foreground } },
    // Errors are squares with a cut corner (✖ in the label), warnings triangles' colour with ⚠: not colour alone.
    { selector: 'node[kind = "node"][health = "error"]', style: { shape: 'cut-rectangle' } },
    // The cause of the breakage: a double ring; its victims keep their colour.
    {
      selector: 'node[role = "cause"]',
      style: { 'border-style': 'double', 'border-width': 7, 'border-color': t.foreground },
    },
    {
      selector: 'node[kind = "stale-peer"]',
      style: { shape: 'diamond', 'border-style': 'dashed', 'background-opacity': 0.35 },
    },
    // A peer that was merely not captured: a hollow circle with a dotted edge, in the "unknown" colour.
    {
      selector: 'node[kind = "uncaptured-peer"]',
      style: {
        shape: 'ellipse',
        'border-style': 'dotted',
        'background-opacity': 0.15,
        ...sizeOf('uncaptured-peer'),
      },
    },
    {
      selector: 'node[kind = "host"], node[kind = "bridge"]',
      style: {
        'background-color': t.foreground,
        'background-opacity': 0.04,
        'border-width': 1,
        'text-valign': 'top',
        'text-margin-y': -4,
        shape: 'round-rectangle',
        // Fitted around their members (see GraphView.fitBoxes).
        width: 'data(w)',
        height: 'data(h)',
        // Under the edges and nodes they hold (a bridge over its host), which stay visible and clickable.
        'z-index-compare': 'manual',
        'z-index': -2,
      },
    },
    { selector: 'node[kind = "bridge"]', style: { 'z-index': -1 } },
    {
      selector: 'node[kind = "host"][health = "ok"], node[kind = "bridge"][health = "ok"]',
      style: { 'border-color': t.border },
    },
    { selector: 'node[kind = "veth"]', style: { shape: 'round-rectangle', ...sizeOf('veth') } },
    { selector: 'node[kind = "pod"]', style: { shape: 'ellipse', ...sizeOf('pod') } },
    {
      selector: 'node[kind = "pod"][health = "ok"]',
      style: { 'background-color': t.accent, 'border-color': t.accent },
    },
    {
      selector: 'node[kind = "vtep"], node[kind = "remote-vtep"]',
      style: { shape: 'hexagon', ...sizeOf('vtep') },
    },
    { selector: 'node[kind = "underlay"]', style: { shape: 'rectangle', ...sizeOf('underlay') } },
    // The peers' VTEPs end the row: their labels to the right, clear of the tunnels' subnets.
    {
      selector: 'node[kind = "remote-vtep"]',
      style: {
        'text-halign': 'right',
        'text-valign': 'center',
        'text-margin-x': 4,
        'text-margin-y': 0,
        'text-justification': 'left',
      },
    },
    { selector: 'node[kind = "interface"]', style: { shape: 'rectangle', ...sizeOf('interface') } },
    // The firewall and kernel settings on the packet's path: a stop sign, red when they block it.
    { selector: 'node[kind = "filter"]', style: { shape: 'octagon', ...sizeOf('filter') } },
    {
      selector: 'node[kind = "group"]',
      style: {
        shape: 'round-rectangle',
        ...sizeOf('group'),
        'border-style': 'dashed',
        'background-opacity': 0.2,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        // Straight: the node view's links have labels and nothing parallel to bundle.
        'curve-style': 'straight',
        opacity: 0.85,
        'line-color': t.border,
      },
    },
    {
      // The cluster's tunnels, up to thousands: haystack is cytoscape's cheapest edge.
      selector: 'edge[kind = "tunnel"], edge[kind = "stale-tunnel"]',
      style: { 'curve-style': 'haystack', 'haystack-radius': 0 },
    },
    ...edgeHealth,
    {
      selector: 'edge[?both]',
      style: {
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'source-arrow-shape': 'triangle',
        'arrow-scale': 1.1,
      },
    },
    ...directions,
    {
      selector: 'edge[label]',
      style: {
        label: 'data(label)',
        'font-size': 9,
        'font-family': t.font,
        color: t.muted,
        'text-rotation': 'autorotate',
        'text-background-color': t.background,
        'text-background-opacity': 0.8,
        'min-zoomed-font-size': 6,
      },
    },
    // A tunnel's subnet by the peer's VTEP, where the edges fanning out of the underlay are apart.
    {
      selector: 'edge[kind = "fdb"][label]',
      style: { label: '', 'target-label': 'data(label)', 'target-text-offset': 80 },
    },
    { selector: 'edge[health = "error"]', style: { width: 3 } },
    { selector: 'edge[health = "warning"]', style: { width: 2.5 } },
    { selector: 'edge[health = "unknown"]', style: { 'line-style': 'dotted' } },
    { selector: 'edge[kind = "stale-tunnel"]', style: { 'line-style': 'dashed' } },
    {
      selector: 'edge[kind = "pod-link"], edge[kind = "underlay"]',
      style: { 'line-color': t.muted, width: 1 },
    },
    { selector: 'node:selected', style: { 'border-color': t.selection, 'border-width': 5 } },
    {
      selector: 'edge:selected',
      style: { 'overlay-color': t.selection, 'overlay-opacity': 0.35, 'overlay-padding': 3 },
    },
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: 'node.match', style: { 'border-color': t.selection, 'border-width': 6 } },
    {
      selector: '.trace',
      style: { 'overlay-color': t.accent, 'overlay-opacity': 0.45, 'overlay-padding': 5 },
    },
    {
      selector: '.trace-broken',
      style: { 'overlay-color': t.error, 'overlay-opacity': 0.55, 'overlay-padding': 6 },
    },
    { selector: '.hidden', style: { display: 'none' } },
  ];
}
