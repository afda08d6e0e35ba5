// The graph webview's bundle in a page of its own: served from loopback with the same page and CSP the
// extension gives the panel, a stand-in `acquireVsCodeApi` that records what the webview posts, theme
// variables as VS Code sets them, and a record of CSP violations. Driven from Debian's Chromium.

import type cytoscape from 'cytoscape';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { graphPage } from '../../src/core/graph/html';
import type { HostToWebview, WebviewToHost } from '../../src/core/graph/protocol';

const DIST = join(__dirname, '..', '..', 'dist', 'webview');

/** The theme colours the harness gives the page (as `--vscode-*` variables, like VS Code's dark theme). */
export const THEME = {
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-disabledForeground': '#8b8b8b',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-panel-border': '#444444',
};

/** VS Code's light and high-contrast themes' values for the same variables. */
export const THEMES = {
  dark: { body: 'vscode-dark', vars: THEME },
  light: {
    body: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-disabledForeground': '#616161',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-settings-checkboxBackground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
    },
  },
  'high-contrast': {
    body: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-charts-red': '#f48771',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-blue': '#75beff',
      '--vscode-disabledForeground': '#a5a5a5',
      '--vscode-focusBorder': '#f38518',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-foreground': '#ffffff',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-input-background': '#000000',
      '--vscode-dropdown-background': '#000000',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Serves the page and the bundle; `extra` maps further paths to files (the bench's baseline bundle). */
export async function serveWebview(
  extra: Record<string, string> = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        graphPage({
          cspSource: origin,
          nonce: randomBytes(16).toString('hex'),
          scriptUri: `${origin}/main.js`,
          styleUri: `${origin}/main.css`,
        }),
      );
      return;
    }
    const file =
      extra[path] ?? (path === '/main.js' || path === '/main.css' ? join(DIST, path.slice(1)) : undefined);
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = path.endsWith('.css')
      ? 'text/css'
      : path.endsWith('.html')
        ? 'text/html'
        : 'text/javascript';
    res.writeHead(200, { 'content-type': type });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

declare global {
  interface Window {
    __posted: WebviewToHost[];
    __state: unknown;
    __violations: string[];
    /** The page's cytoscape instance, for tests to look at. */
    __cy: () => cytoscape.Core;
    __dialogs: number;
  }
}

/** Before any script of the page: the VS Code API stand-in, the theme, and the CSP violation record. */
export async function preparePage(page: Page, state?: unknown, themeName: ThemeName = 'dark'): Promise<void> {
  await page.addInitScript(
    ({ theme, body, state }) => {
      window.__posted = [];
      window.__state = state;
      window.__violations = [];
      // Cytoscape keeps its instance on its container.
      window.__cy = () =>
        (document.getElementById('graph') as unknown as { _cyreg: { cy: cytoscape.Core } })._cyreg.cy;
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
      );
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: WebviewToHost) => window.__posted.push(m),
        getState: () => window.__state,
        setState: (s: unknown) => (window.__state = s),
      });
      document.addEventListener('DOMContentLoaded', () => {
        document.body.classList.add(body);
        for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
      });
    },
    { theme: THEMES[themeName].vars as Record<string, string>, body: THEMES[themeName].body, state },
  );
}

/** Sends a message as the extension host would. */
export async function send(page: Page, message: HostToWebview): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

/** Waits for the webview to post a message of a type (after `after` earlier ones). */
export async function waitPosted<T extends WebviewToHost['type']>(
  page: Page,
  type: T,
  after = 0,
): Promise<Extract<WebviewToHost, { type: T }>> {
  const handle = await page.waitForFunction(
    ({ type, after }) => window.__posted.slice(after).find((m) => m.type === type),
    { type, after },
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as Extract<WebviewToHost, { type: T }>;
}

export async function postedCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__posted.length);
}
