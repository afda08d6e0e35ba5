// The real-VS-Code harness: the packaged extension installed into code-server (a real workbench with a
// Node extension host), served on loopback, driven from Debian's Chromium with playwright-core.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { serveWithExtension } from '../../scripts/code-server.mjs';
import { CHROMIUM_ARGS } from '../webview/harness';

export const repo = resolve(__dirname, '..', '..');
export const artifacts = join(repo, 'test-results', 'e2e');
export const vsix = join(repo, 'dist', 'netsnap.vsix');

/** The cache test/e2e/setup.sh fills (Node 24 and code-server, outside the repo). */
export function e2eCache(): string {
  return execFileSync('bash', [join(repo, 'test', 'e2e', 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export interface Workbench {
  page: Page;
  folder: string;
  url: string;
  /** Everything code-server printed, for diagnosis. */
  log(): string;
  close(): Promise<void>;
}

/** Lays out a workspace folder: the bundled examples plus any extra files (name → content). */
export function makeWorkspace(extra: Record<string, string | Buffer> = {}): string {
  const folder = mkdtempSync(join(tmpdir(), 'netsnap-ws-'));
  cpSync(join(repo, 'examples'), folder, { recursive: true });
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  return folder;
}

export async function startWorkbench(folder: string): Promise<Workbench> {
  const cache = e2eCache();
  const state = mkdtempSync(join(tmpdir(), 'netsnap-cs-'));
  const { server, url } = await serveWithExtension({ cache, vsix, folder, state });
  let output = '';
  server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 100 && !output.includes('HTTP server listening'); i++)
    await new Promise((r) => setTimeout(r, 200));
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-sync'],
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  return {
    page,
    folder,
    url,
    log: () => output,
    close: async () => {
      await browser.close();
      server.kill('SIGTERM');
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Runs a command from the palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // Right after a (re)load a key press can be lost: press F1 again until the palette shows.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const shown = await page
      .waitForSelector('.quick-input-widget', { state: 'visible', timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (shown) break;
    if (attempt === 3) throw new Error(`the command palette did not open (to run "${title}")`);
    await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
  }
  await page.keyboard.type(title);
  await page.waitForSelector(
    `.quick-input-list .monaco-list-row[aria-label*="${title.replace(/"/g, '\\"')}"]`,
    { timeout: 10_000 },
  );
  await page.keyboard.press('Enter');
}

/** Clicks a workspace file in the Explorer (expanding its folders), as a person would. */
export async function clickInExplorer(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+E'); // the Explorer, whatever view was showing
  const parts = relativePath.split('/');
  const explorer = page.locator('.explorer-folders-view');
  // Names repeat across folders: each part is the first row of that name and depth listed after the
  // folder just opened (rows carry their place in the list; the DOM holds them in no particular order).
  let after = -1;
  for (const [i, name] of parts.entries()) {
    const found = await page.waitForFunction(
      ({ name, level, after }) => {
        const rows = document.querySelectorAll('.explorer-folders-view .monaco-list-row');
        let best: number | undefined;
        for (const row of Array.from(rows)) {
          const index = Number(row.getAttribute('data-index'));
          if (row.getAttribute('aria-label') !== name || row.getAttribute('aria-level') !== String(level))
            continue;
          if (index > after && (best === undefined || index < best)) best = index;
        }
        return best === undefined ? undefined : { index: best }; // (an object: row 0 is falsy)
      },
      { name, level: i + 1, after },
      { timeout: 20_000 },
    );
    after = ((await found.jsonValue()) as { index: number }).index;
    const row = explorer.locator(`.monaco-list-row[data-index="${after}"]`);
    if (i < parts.length - 1) {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    } else {
      await row.click();
    }
  }
  const base = parts[parts.length - 1] ?? relativePath;
  await page.waitForSelector(`.tab.active[aria-label*="${base}"]`, { timeout: 20_000 });
}

/** Opens a workspace file in the text editor by clicking it in the Explorer, and focuses the editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await clickInExplorer(page, relativePath);
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20_000 });
  await page.locator('.part.editor .monaco-editor .view-lines').first().click();
}

/** The active editor's cursor as the status bar shows it ("Ln 7, Col 1"). */
export async function cursorPosition(page: Page): Promise<string> {
  return (await page.locator('.statusbar-item[id="status.editor.selection"]').textContent()) ?? '';
}

/** Moves the cursor to a 1-based line with Go to Line. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.keyboard.type(String(line));
  // Enter before the quick input has read the number would go nowhere: wait for its preview to name it.
  await page.waitForFunction(
    (line) => document.querySelector('.quick-input-widget')?.textContent?.includes(`line ${line}`),
    line,
    { timeout: 10_000 },
  );
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
  await page.waitForFunction(
    (line) =>
      document
        .querySelector('.statusbar-item[id="status.editor.selection"]')
        ?.textContent?.includes(`Ln ${line},`),
    line,
    { timeout: 10_000 },
  );
}

/** The whole text of the active editor, through select all + copy and the clipboard. */
export async function activeEditorText(page: Page): Promise<string> {
  await page
    .locator('.part.editor .editor-group-container.active .monaco-editor .view-lines')
    .first()
    .click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(async () => navigator.clipboard.readText());
}

/** The README's pictures: the scenarios that take them write them here too, so each run regenerates them. */
export const docsImages = join(repo, 'docs', 'images');
/** Pictures the README shows (taken under these names). */
const README_IMAGES = new Set([
  'problems',
  'hover-ip',
  'quick-fix',
  'graph-cluster',
  'graph-node',
  'graph-seed',
  'tree',
]);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  if (README_IMAGES.has(name)) {
    mkdirSync(docsImages, { recursive: true });
    cpSync(path, join(docsImages, `${name}.png`));
  }
  return path;
}

/** The frames of webviews (for the graph view later). */
/** A failed scenario leaves a picture of the page behind, to see why. */
export function screenshotFailures(page: () => Page | undefined): void {
  afterEach(async (context) => {
    const p = page();
    if (context.task.result?.state === 'fail' && p !== undefined)
      await screenshot(p, `failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`);
  });
}

export function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((f) => f.url().includes('webview'));
}

export function ensureVsix(): void {
  if (!existsSync(vsix)) execFileSync('npm', ['run', 'package', '--silent'], { cwd: repo, stdio: 'inherit' });
}

export function listArtifacts(): string[] {
  return existsSync(artifacts) ? readdirSync(artifacts) : [];
}
