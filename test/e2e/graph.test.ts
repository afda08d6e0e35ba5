// The graph webview in the real workbench: netsnap: Open Graph on the bundled example and on a lab
// capture, a click on a tunnel revealing its evidence line in the editor, the editor's cursor selecting
// the element, and the node view. Screenshots land in test-results/e2e/ (graph-*.png).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cursorPosition,
  ensureVsix,
  goToLine,
  makeWorkspace,
  openFile,
  repo,
  runCommand,
  screenshotFailures,
  screenshot,
  startWorkbench,
  type Workbench,
} from './harness';

let wb: Workbench;
let page: Page;

beforeAll(async () => {
  ensureVsix();
  // A capture from the lab (real kernel output of a three-node VXLAN data plane) beside the examples.
  const labDir = join(repo, 'test', 'fixtures', 'lab', 'healthy-3');
  const lab = Object.fromEntries(
    readdirSync(labDir).map((f) => [`lab/lab-${f}`, readFileSync(join(labDir, f), 'utf8')]),
  );
  wb = await startWorkbench(makeWorkspace(lab));
  page = wb.page;
}, 240_000);

screenshotFailures(() => page);

afterAll(async () => {
  await wb?.close();
});

/** Opens a workspace file by its path through Quick Open (names repeat across the example folders). */
async function quickOpen(relativePath: string): Promise<void> {
  // In the first editor group (left of the graph), whichever group had the focus.
  await page.locator('.part.editor .editor-group-container .monaco-editor .view-lines').first().click();
  await runCommand(page, 'Go to File');
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.keyboard.type(relativePath);
  // The row of that file in that folder (recently opened files with the same name are listed first).
  const [folder = '', name = ''] = relativePath.split('/');
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: name })
    .filter({ hasText: folder })
    .first()
    .click({ timeout: 10_000 });
  await page.waitForFunction(
    (folder) =>
      document
        .querySelector('.part.editor .editor-group-container.active .breadcrumbs-control')
        ?.textContent?.includes(folder),
    relativePath.split('/')[0] ?? '',
    { timeout: 20_000 },
  );
}

/** The frame that holds the graph webview's page (VS Code nests it in iframes). */
async function graphFrame(): Promise<Frame> {
  for (let i = 0; i < 60; i++) {
    for (const frame of page.frames()) {
      if (await frame.$('#graph canvas').catch(() => null)) {
        // The tests' handle on the page's cytoscape instance (cytoscape keeps it on its container).
        await frame.evaluate(() => {
          window.__cy = () =>
            (document.getElementById('graph') as unknown as { _cyreg: { cy: cytoscape.Core } })._cyreg.cy;
        });
        return frame;
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error('the graph webview did not appear');
}

async function status(frame: Frame, contains: string): Promise<string> {
  await frame.waitForFunction(
    (text) => document.getElementById('status')?.textContent?.includes(text),
    contains,
    {
      timeout: 30_000,
    },
  );
  return (await frame.locator('#status').textContent()) ?? '';
}

function drawn(frame: Frame): Promise<{ nodes: string[]; edges: string[]; selected: string[] }> {
  return frame.evaluate(() => {
    const cy = window.__cy();
    return {
      nodes: cy.nodes().map((n) => n.id()),
      edges: cy.edges().map((e) => e.id()),
      selected: cy.$(':selected').map((e) => e.id()),
    };
  });
}

/** Clicks a graph element where the canvas draws it. */
async function clickElement(frame: Frame, id: string, clickCount = 1): Promise<void> {
  const inFrame = await frame.evaluate((id) => {
    const el = window.__cy().getElementById(id);
    return el.isNode() ? el.renderedPosition() : (el as cytoscape.EdgeSingular).renderedMidpoint();
  }, id);
  const box = await frame.locator('#graph').boundingBox();
  if (box === null) throw new Error('the graph has no box');
  await page.mouse.click(box.x + inFrame.x, box.y + inFrame.y, { clickCount });
}

/** Whether the active editor shows flnode1's route to flnode3's subnet (10.27.3.0 via 10.27.3.0). */
function routeShown(): Promise<boolean> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.part.editor .editor-group-container.active .view-line')).some(
      (line) => /^10\.27\.3\.0\s+10\.27\.3\.0\s/.test(line.textContent ?? ''),
    ),
  );
}

describe('graph webview', () => {
  it('opens beside the example with its tunnels coloured, and a double click reveals the evidence line', async () => {
    await openFile(page, 'cluster-vtep-mac-changed/flnode1.netsnap');
    await runCommand(page, 'netsnap: Open Graph');
    const frame = await graphFrame();
    expect(await status(frame, 'tunnels drawn')).toContain('3 of 3 tunnels drawn · 2 unhealthy');
    const d = await drawn(frame);
    expect(d.nodes.sort()).toEqual([
      'node:flnode1',
      'node:flnode2',
      'node:flnode3',
      'stale:42:32:74:de:03:03',
    ]);
    expect(d.edges).toHaveLength(5);
    // The picture for the README: the sidebar closed, so that editor and graph share the window.
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(500);
    await clickElement(frame, 'node:flnode3');
    await screenshot(page, 'graph-cluster');
    await page.keyboard.press('Control+B');

    // A click shows the details; a double click opens the line.
    await clickElement(frame, 'tunnel:flnode1|flnode3', 2);
    // flnode1's neighbour entry for flnode3's VTEP (line 14) still holds the old MAC.
    await page.waitForFunction(
      () =>
        document
          .querySelector('.statusbar-item[id="status.editor.selection"]')
          ?.textContent?.includes('Ln 14'),
      undefined,
      { timeout: 15_000 },
    );
    expect(await cursorPosition(page)).toContain('Ln 14');
    expect(await frame.locator('#details').textContent()).toContain('Tunnel flnode1 ⇄ flnode3: error');
  });

  it('selects the element of the line the editor cursor is on', async () => {
    const frame = await graphFrame();
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await goToLine(page, 7); // flnode1's route to flnode3's subnet: an end of the broken tunnel
    await frame.waitForFunction(() => {
      const cy = window.__cy();
      return (
        cy
          .$(':selected')
          .map((e) => e.id())
          .join() === 'tunnel:flnode1|flnode3'
      );
    });
    expect(await cursorPosition(page)).toContain('Ln 7');
    expect((await drawn(frame)).selected).toEqual(['tunnel:flnode1|flnode3']);
  });

  it('traces from the selected node to a pod IP and lists the hops, the break in red', async () => {
    const frame = await graphFrame();
    await clickElement(frame, 'node:flnode1');
    // Trace is in the toolbar's menu.
    await frame.locator('#more').click();
    await frame.locator('#trace-to input').fill('10.27.3.2');
    await frame.locator('#trace-to input').press('Enter');
    await frame.waitForFunction(() =>
      document.getElementById('details')?.textContent?.includes('Trace flnode1 → 10.27.3.2'),
    );
    const details = (await frame.locator('#details').textContent()) ?? '';
    // flnode1's neighbour entry for flnode3's VTEP holds the old MAC: the path breaks there.
    expect(details).toContain('42:32:74:de:03:03');
    expect(await frame.locator('#details .hops li.error').count()).toBeGreaterThan(0);
    await frame.waitForFunction(() => {
      const cy = window.__cy();
      return cy.$('.trace, .trace-broken').nonempty();
    });
  });

  it('shows a node view with its VTEP, cni0 and remote VTEPs', async () => {
    const frame = await graphFrame();
    await clickElement(frame, 'node:flnode1');
    await frame.locator('#details vscode-button', { hasText: 'Open node view' }).click();
    await status(frame, 'remote VTEPs drawn');
    const d = await drawn(frame);
    expect(d.nodes).toEqual(
      expect.arrayContaining(['host:flnode1', 'if:flannel.1', 'if:cni0', 'remote:flnode3']),
    );
  });

  it('comes back after a window reload with the view it showed', async () => {
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.part.editor .monaco-editor', { timeout: 60_000 });
    // The serializer restores the panel from the state its webview saved: flnode1's node view.
    const frame = await graphFrame();
    expect(await status(frame, 'remote VTEPs drawn')).toContain('flnode1 (10.27.1.0/24)');
    expect((await drawn(frame)).nodes).toContain('if:flannel.1');
    await screenshot(page, 'graph-node');
  });

  it('follows the active snapshot to a lab capture: a healthy three-node cluster', async () => {
    await quickOpen('lab/lab-flnode1.netsnap');
    await runCommand(page, 'netsnap: Open Graph');
    const frame = await graphFrame();
    expect(await status(frame, 'lab: 3 nodes')).toContain('3 of 3 tunnels drawn · 0 unhealthy');
  });

  it('re-renders as the snapshot is edited: deleting a route breaks its tunnel', async () => {
    await quickOpen('cluster-healthy/flnode1.netsnap');
    await runCommand(page, 'netsnap: Open Graph');
    const frame = await graphFrame();
    await status(frame, 'cluster-healthy: 3 nodes');
    await page.keyboard.press('Control+1');
    await goToLine(page, 7); // 10.27.3.0 via 10.27.3.0 dev flannel.1
    expect(await routeShown()).toBe(true);
    await page.keyboard.press('Control+Shift+K');
    // The route is gone from the editor before the graph is asked anything.
    await expect.poll(routeShown, { timeout: 10_000 }).toBe(false);
    expect(await status(frame, '1 unhealthy')).toContain('3 of 3 tunnels drawn · 1 unhealthy');
    const health = await frame.evaluate(() => {
      const cy = window.__cy();
      return cy.getElementById('tunnel:flnode1|flnode3').data('health') as string;
    });
    expect(health).toBe('error');
  });
  it("draws the seed snapshot's peers, not captured, as a readable list beside it", async () => {
    await quickOpen('k8snode028.netsnap');
    await runCommand(page, 'netsnap: Open Graph');
    const frame = await graphFrame();
    expect(await status(frame, 'peers not captured')).toContain('14 peers not captured · 1 stale leftovers');
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(500);
    await clickElement(frame, 'peer:10.27.13.0/24');
    await screenshot(page, 'graph-seed');
    await page.keyboard.press('Control+B');
  });
});
