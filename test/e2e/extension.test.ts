// The packaged extension in a real VS Code workbench (code-server) driven from headless Chromium: what a
// person sees. Screenshots land in test-results/e2e/ (the README's pictures come from here).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeEditorText,
  ensureVsix,
  goToLine,
  makeWorkspace,
  openFile,
  repo,
  runCommand,
  screenshot,
  startWorkbench,
  type Workbench,
} from './harness';

const hostileName = '<img src=x onerror="window.__pwned=1">';
const hostile = [
  '[root@evil ~]# ip -d link',
  `3: ${hostileName}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000`,
  '    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff promiscuity 0',
  '[root@evil ~]# route -n',
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '10.27.2.0       10.27.2.0       255.255.255.0   UG    0      0        0 <script>alert(1)</script>',
  '[link](command:workbench.action.quit) `code` **bold** <b>html</b>',
  '',
].join('\n');

function bigPaste(): string {
  // About 5 MB of real-looking `bridge fdb show` lines (a paste from a huge node).
  const lines: string[] = ['[root@big ~]# bridge fdb show'];
  for (let i = 0; lines.length < 90_000; i++) {
    const h = (n: number) => n.toString(16).padStart(2, '0');
    lines.push(
      `42:32:${h((i >> 16) & 255)}:${h((i >> 8) & 255)}:${h(i & 255)}:01 dev flannel.1 dst 10.18.${(i >> 8) & 255}.${i & 255} self permanent`,
    );
  }
  return `${lines.join('\n')}\n`;
}

let wb: Workbench;
let page: Page;
const dialogs: string[] = [];

async function problemsRows(): Promise<string[]> {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) =>
    rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''),
  );
}

async function showProblems(): Promise<void> {
  await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel', { state: 'visible' });
}

async function hoverText(): Promise<string> {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = await page.waitForSelector('.monaco-hover .hover-contents, .monaco-hover .markdown-hover', {
    timeout: 15_000,
  });
  return (await hover.textContent()) ?? '';
}

beforeAll(async () => {
  ensureVsix();
  const folder = makeWorkspace({
    'hostile/evil.netsnap': hostile,
    'hostile/big.netsnap': bigPaste(),
    'hostile/binary.netsnap': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 0xff, 0xfe, 0, 10, 65, 10]),
  });
  wb = await startWorkbench(folder);
  page = wb.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 240_000);

afterAll(async () => {
  await wb?.close();
});

describe('netsnap in VS Code', () => {
  it('shows the example’s findings in the Problems panel on their lines', async () => {
    await openFile(page, 'cluster-vtep-mac-changed/flnode1.netsnap');
    await showProblems();
    await expect
      .poll(async () => (await problemsRows()).join('\n'), { timeout: 60_000 })
      .toContain('points to 42:32:74:de:03:03');
    const rows = (await problemsRows()).join('\n');
    expect(rows).toMatch(/Neighbour 10\.27\.3\.0 on flannel\.1 points to 42:32:74:de:03:03[^\n]*\b14\b/);
    await screenshot(page, 'problems');
  });

  it('activates within 50 ms as VS Code reports it, from a small entry bundle', async () => {
    // "Developer: Startup Performance" lists every activated extension's timings (Load Code, Call
    // Activate, Finish Activate, in ms); the activation time Running Extensions shows is Load Code + Call
    // Activate. The report fills in as the workbench settles: read it again until netsnap's row is there.
    let row: string[] | undefined;
    for (let attempt = 1; row === undefined; attempt++) {
      await runCommand(page, 'Developer: Startup Performance');
      await page.waitForSelector('.tab.active[aria-label*="Startup Performance"]', { timeout: 20_000 });
      const text = await activeEditorText(page);
      row = text
        .split('\n')
        .find((line) => /^\|\s*netsnap\.netsnap\s*\|/.test(line))
        ?.split('|')
        .map((cell) => cell.trim());
      if (row === undefined && attempt >= 5)
        throw new Error(`no netsnap row in the startup performance report:\n${text.slice(0, 4000)}`);
      if (row === undefined) await page.waitForTimeout(3000);
    }
    const [, id, eager, load, call, finish, event] = row;
    const activation = Number(load) + Number(call);
    console.log(
      `${id} activation as VS Code reports it: ${activation} ms = load code ${load} ms + call activate ${call} ms (target ≤ 50 ms); finish activate ${finish} ms; eager ${eager}; event ${event}`,
    );
    expect(Number.isFinite(activation)).toBe(true);
    expect(activation).toBeLessThanOrEqual(50);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+W');

    const kb = (file: string) => readFileSync(join(repo, 'dist', file)).length / 1024;
    const entry = kb('extension.js');
    const main = kb('extension-main.js');
    console.log(
      `dist/extension.js (entry, loaded at activation): ${entry.toFixed(1)} KB; dist/extension-main.js (loaded after activation): ${main.toFixed(0)} KB (targets ≤ 400 KB each)`,
    );
    expect(entry).toBeLessThanOrEqual(400);
    expect(main).toBeLessThanOrEqual(400);
  });

  it('explains an IP and a MAC on hover, with the resolved chain', async () => {
    await openFile(page, 'cluster-vtep-mac-changed/flnode1.netsnap');
    await goToLine(page, 14);
    const ip = await hoverText();
    expect(ip).toContain('10.27.3.0');
    expect(ip).toContain('flnode3');
    await screenshot(page, 'hover-ip');
    await page.keyboard.press('Escape');
    await goToLine(page, 22);
    const mac = await hoverText();
    expect(mac).toContain('42:32:74:de:03:03');
    expect(mac).toMatch(/neigh-mac-mismatch|42:32:74:de:33:99/);
    await screenshot(page, 'hover-mac');
    await page.keyboard.press('Escape');
  });

  it('copies a repair command from the quick fix', async () => {
    await openFile(page, 'cluster-vtep-mac-changed/flnode2.netsnap');
    await goToLine(page, 15);
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: /copy/i }).first();
    await item.waitFor({ timeout: 20_000 });
    await screenshot(page, 'quick-fix');
    await item.click();
    await expect
      .poll(async () => page.evaluate(async () => navigator.clipboard.readText()), { timeout: 10_000 })
      .toContain('ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent');
  });

  it('handles hostile, huge and binary snapshots without a crash or script execution', async () => {
    await openFile(page, 'hostile/evil.netsnap');
    await goToLine(page, 2);
    await page.keyboard.press('End');
    const text = await hoverText().catch(() => '');
    // The name is shown as text, never rendered: no element came of it.
    expect(text).toContain('<img');
    expect(await page.locator('.monaco-hover img, .monaco-hover script').count()).toBe(0);
    await page.keyboard.press('Escape');
    await openFile(page, 'hostile/big.netsnap');
    // (Binary bytes: VS Code itself holds such a file back from the text editor; the core's handling of
    // binary text is covered by the unit tests and the CLI's.)
    await page.waitForTimeout(2000);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The workbench still answers.
    await openFile(page, 'k8snode028.netsnap');
    await screenshot(page, 'hostile');
  });
  // Last: it adds a snapshot to the workspace. code-server's extension host stands where the Remote-SSH
  // server would (the extension runs on the machine serving the workbench), so "this machine" is it.
  it('Collect from Node → this host: progress, then a saved .netsnap that opens with its tree and diagnostics', async () => {
    const snapshots = join(wb.folder, 'snapshots');
    const before = existsSync(snapshots) ? readdirSync(snapshots) : [];
    // Right after start the palette may not list extension commands yet: try again a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await runCommand(page, 'netsnap: Collect from Node');
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(3000);
      }
    }
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="This machine"]', {
      timeout: 10_000,
    });
    await page.keyboard.type('This machine');
    await page.keyboard.press('Enter');
    // The node-name box: name it, so that the file is known.
    await page.waitForSelector('.quick-input-widget .quick-input-message', {
      state: 'visible',
      timeout: 10_000,
    });
    await page.keyboard.type('e2e-node');
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', {
      hasText: 'netsnap: collecting',
    });
    let sawProgress = false;
    try {
      await toast.first().waitFor({ state: 'visible', timeout: 15_000 });
      sawProgress = true;
      await screenshot(page, 'collect-progress');
    } catch {
      // Collecting on this machine can finish before a frame shows the toast; the file is checked below.
    }
    console.log(
      `collect: progress notification ${sawProgress ? 'seen' : 'not caught (collection too fast)'}`,
    );
    await page.waitForSelector('.tab.active[aria-label*="e2e-node-"]', { timeout: 90_000 });
    const added = readdirSync(snapshots).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^e2e-node-\d{8}-\d{6}\.netsnap$/);
    const text = readFileSync(join(snapshots, added[0] ?? ''), 'utf8');
    expect(text).toContain('### node e2e-node');
    expect(text).toMatch(/ip -d link/);
    // Its outline (the node, one entry per command) and the Network Snapshots tree show it.
    const pane = (title: string) =>
      page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
    for (const title of ['Outline', 'Network Snapshots']) {
      const header = pane(title).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    }
    await pane('Outline')
      .locator('.monaco-list-row', { hasText: 'e2e-node' })
      .first()
      .waitFor({ timeout: 30_000 });
    const tree = pane('Network Snapshots');
    // The new folder is a cluster of its own ("snapshots", one node): open it.
    const cluster = tree.locator('.monaco-list-row', { hasText: /^snapshots/ }).first();
    await cluster.waitFor({ timeout: 30_000 });
    await cluster.click();
    if ((await cluster.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await tree.locator('.monaco-list-row', { hasText: 'e2e-node' }).first().waitFor({ timeout: 30_000 });
    // Diagnostics: a host without flannel may have no finding at all, so this is reported, not asserted
    // (the outline and the tree above prove the snapshot was parsed and joined the workspace).
    await showProblems();
    await page.waitForTimeout(1000);
    const mine = (await problemsRows()).filter((r) => r.includes('e2e-node'));
    console.log(
      `collect: Problems rows for the collected snapshot: ${mine.length ? mine.join(' | ') : 'none'}`,
    );
    await page.keyboard.press('Control+Shift+E');
    await screenshot(page, 'collect-result');
  });
});
