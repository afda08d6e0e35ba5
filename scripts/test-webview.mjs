// The graph webview tier: the bundle in Debian's Chromium (test/webview/). Without Chromium it says so
// plainly — and under CI (CI set) a tier that cannot run is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('/usr/bin/chromium')) {
  console.log('\nWEBVIEW TIER SKIPPED: /usr/bin/chromium is missing (apt-get install chromium).');
  process.exit(process.env.CI ? 1 : 0);
}
const result = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--project',
    'webview',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/webview.json',
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
