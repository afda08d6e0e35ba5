// What the test tiers that need more than Node share: saying plainly that a tier cannot run here (under CI,
// with CI set, that is a failure: CI must run every tier), and running a vitest project with the JSON
// report .ci/run sums up.
import { spawnSync } from 'node:child_process';

export const CHROMIUM = '/usr/bin/chromium';

/** Ends the process: the tier is skipped here (exit 0), or fails under CI (exit 1). */
export function skipTier(tier, why) {
  console.log(`\n${tier.toUpperCase()} TIER SKIPPED: ${why}`);
  if (process.env.CI) {
    console.log('CI must run every tier: failing.');
    process.exit(1);
  }
  process.exit(0);
}

/** Runs a command to its end; a failure ends the process with its status. */
export function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs one vitest project, reporting to the console and to test-results/<project>.json; ends the process. */
export function runProject(project) {
  run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=test-results/${project}.json`,
  ]);
  process.exit(0);
}
