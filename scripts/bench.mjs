// `npm run bench`: throughput of each parser and of the whole pipeline on a generated single-node snapshot
// of a 5,000-node flannel cluster, next to a baseline measured in the same run (splitting the same text
// into lines and whitespace tokens), and the heap the model holds. Prints ratios; exits 1 when a target
// is missed. Run with --expose-gc (the npm script does).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { generateNodeSnapshot } from './generate-snapshot.mjs';

const require = createRequire(import.meta.url);
const core = require('../dist/core.js');

const TARGET_RATIO = 0.5;
const TARGET_HEAP_MB = 30;

function baseline(text) {
  let count = 0;
  for (const line of text.split('\n')) count += line.trim().split(/\s+/).length;
  return count;
}

/** Median seconds of `fn` over enough repetitions to take ~1 s (at least 5). */
function time(fn) {
  fn(); // warm up
  const samples = [];
  const started = performance.now();
  while (samples.length < 5 || (performance.now() - started < 1000 && samples.length < 50)) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const mb = (bytes) => bytes / (1024 * 1024);
const fmt = (n, d = 1) => n.toFixed(d);

const text = generateNodeSnapshot({ peers: 5000, veths: 250 });
const size = mb(Buffer.byteLength(text));
console.log(
  `input: single-node snapshot of a 5,000-node cluster, ${fmt(size, 2)} MB, ${text.split('\n').length} lines`,
);

const baseSeconds = time(() => baseline(text));
const baseRate = size / baseSeconds;
console.log(`baseline (lines + whitespace tokens): ${fmt(baseRate)} MB/s`);

// Per parser: the sections it reads, parsed on their own.
const split = core.splitSnapshot(text, 'bench.netsnap');
const byParser = new Map();
for (const section of split.sections) {
  if (!section.parserId) continue;
  const list = byParser.get(section.parserId) ?? [];
  list.push(section);
  byParser.set(section.parserId, list);
}
console.log('\nparser          MB      MB/s   × baseline');
for (const [id, sections] of byParser) {
  const parser = core.parserById(id);
  const bytes = sections.reduce((n, s) => n + s.lines.reduce((m, l) => m + l.text.length + 1, 0), 0);
  const sectionText = sections.map((s) => s.lines.map((l) => l.text).join('\n')).join('\n');
  const seconds = time(() => {
    for (const s of sections) parser.parse({ file: 'bench.netsnap', lines: s.lines, command: s.command });
  });
  const sectionBase = time(() => baseline(sectionText));
  console.log(
    `${id.padEnd(14)} ${fmt(mb(bytes), 2).padStart(5)} ${fmt(mb(bytes) / seconds).padStart(8)}   ${fmt(sectionBase / seconds, 2).padStart(6)}`,
  );
}

const pipelineSeconds = time(() => core.parseSnapshot(text, 'bench.netsnap'));
const pipelineRate = size / pipelineSeconds;
const ratio = pipelineRate / baseRate;
console.log(
  `\nwhole pipeline: ${fmt(pipelineRate)} MB/s = ${fmt(ratio, 2)} × baseline (target ≥ ${TARGET_RATIO})`,
);

globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const held = core.parseSnapshot(text, 'bench.netsnap');
globalThis.gc?.();
const heap = mb(process.memoryUsage().heapUsed - before);
const node = held.nodes[0];
console.log(
  `model heap: ${fmt(heap)} MB (target ≤ ${TARGET_HEAP_MB}) for ${node.routes.length} routes, ${node.neighbours.length} neighbours, ${node.fdb.length} FDB entries, ${node.interfaces.length} interfaces`,
);
if (!globalThis.gc) console.log('(run with --expose-gc for a precise heap figure)');

const failures = [];
if (ratio < TARGET_RATIO) failures.push(`pipeline throughput ${fmt(ratio, 2)} × baseline < ${TARGET_RATIO}`);
if (heap > TARGET_HEAP_MB) failures.push(`model heap ${fmt(heap)} MB > ${TARGET_HEAP_MB} MB`);
if (node.routes.length < 5000 || node.fdb.length < 10000)
  failures.push('the generated snapshot did not parse completely');
if (failures.length > 0) {
  console.log(`\nMISSED: ${failures.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log('\nall targets met');
}
