// The real-VS-Code tier: packages the extension, installs it into code-server (test/e2e/setup.sh caches
// Node 24 and code-server outside the repo), and drives the workbench from Debian's Chromium. Without
// Chromium it says plainly that it skipped (see tier.mjs).
import { existsSync } from 'node:fs';
import { CHROMIUM, run, runProject, skipTier } from './tier.mjs';

if (!existsSync(CHROMIUM)) skipTier('e2e', `${CHROMIUM} is missing (apt-get install chromium libkrb5-dev).`);
run('bash', ['test/e2e/setup.sh']);
run('npm', ['run', 'build', '--silent']);
run('npm', ['run', 'package', '--silent']);
runProject('e2e');
