// The cytoscape stylesheet: shapes by element kind, colours by health, from the workbench theme.

import type cytoscape from 'cytoscape';
import type { Theme } from './theme';

export function stylesheet(
  t: Theme,
  options: { large: boolean; nodeView: boolean },
): cytoscape.StylesheetJson {
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
  return [
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        'text-wrap': 'wrap',
        'font-size': 10,
        'font-family': t.font,
        color: t.foreground,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'min-zoomed-font-size': options.large ? 8 : 4,
        width: 22,
        height: 22,
        'border-width': t.highContrast ? 3 : 2,
        'background-opacity': 1,
      },
    },
    ...nodeHealth,
    { selector: 'node[kind = "node"]', style: { shape: 'round-rectangle', width: 28, height: 28 } },
    { selector: 'node[problems > 0]', style: { 'border-width': 5, 'border-color': t.foreground } },
    {
      selector: 'node[kind = "stale-peer"]',
      style: { shape: 'diamond', 'border-style': 'dashed', 'background-opacity': 0.35 },
    },
    {
      selector: 'node[kind = "host"], node[kind = "bridge"]',
      style: {
        'background-color': t.foreground,
        'background-opacity': 0.04,
        'border-width': 1,
        'text-valign': 'top',
        'text-margin-y': -4,
        padding: '14px',
        'compound-sizing-wrt-labels': 'exclude',
        shape: 'round-rectangle',
      },
    },
    {
      selector: 'node[kind = "host"][health = "ok"], node[kind = "bridge"][health = "ok"]',
      style: { 'border-color': t.border },
    },
    { selector: 'node[kind = "veth"]', style: { shape: 'round-rectangle', width: 16, height: 12 } },
    { selector: 'node[kind = "pod"]', style: { shape: 'ellipse', width: 18, height: 18 } },
    {
      selector: 'node[kind = "pod"][health = "ok"]',
      style: { 'background-color': t.accent, 'border-color': t.accent },
    },
    {
      selector: 'node[kind = "vtep"], node[kind = "remote-vtep"]',
      style: { shape: 'hexagon', width: 30, height: 26 },
    },
    { selector: 'node[kind = "underlay"]', style: { shape: 'rectangle', width: 34, height: 20 } },
    { selector: 'node[kind = "interface"]', style: { shape: 'rectangle', width: 22, height: 16 } },
    {
      selector: 'node[kind = "group"]',
      style: {
        shape: 'round-rectangle',
        width: 60,
        height: 24,
        'border-style': 'dashed',
        'background-opacity': 0.2,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': options.nodeView ? 'bezier' : 'haystack',
        'haystack-radius': 0,
        opacity: 0.85,
        'line-color': t.border,
      },
    },
    ...edgeHealth,
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
    { selector: 'node.quiet', style: { label: '' } },
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
