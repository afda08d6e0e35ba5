// Adds up vitest's JSON reports into one closing line, `N passed, N failed`, and fails on any test that
// did not pass (skipped and todo included) or on a run that executed no test.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let other = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  other += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed${other > 0 ? `, ${other} skipped` : ''}`);
process.exit(failed > 0 || other > 0 || passed === 0 ? 1 : 0);
