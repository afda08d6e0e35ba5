// The graph webview tier: the bundle in Debian's Chromium (test/webview/).
import { existsSync } from 'node:fs';
import { CHROMIUM, runProject, skipTier } from './tier.mjs';

if (!existsSync(CHROMIUM)) skipTier('webview', `${CHROMIUM} is missing (apt-get install chromium).`);
runProject('webview');
