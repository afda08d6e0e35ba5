// A device's offloads and driver: `ethtool -k DEV` (`--show-features`, `--show-offload`), what `ethtool -K
// DEV feature on|off` changed, `ethtool -i DEV` (`--driver`), and `ethtool -S DEV` (statistics: read and
// accounted for, no record). Offloads matter on the forwarding path: a VTEP whose NIC (vmxnet3 above all)
// fills in VXLAN UDP checksums wrongly has every encapsulated packet dropped by the peer, the known cure
// being `ethtool -K flannel.1 tx-checksum-ip-generic off`.
//
// `ethtool -k` indents the features that belong to a group (`tx-checksumming:` then `\ttx-checksum-ip-
// generic: on`); records keep them flat, one per line, in the order printed.

import type { EthtoolDriver, EthtoolFeature, EthtoolFeatures } from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

type Mode = 'show-features' | 'set-features' | 'driver' | 'statistics';

const MODES = new Map<string, Mode>([
  ['-k', 'show-features'],
  ['--show-features', 'show-features'],
  ['--show-offload', 'show-features'],
  ['-K', 'set-features'],
  ['--features', 'set-features'],
  ['--offload', 'set-features'],
  ['-i', 'driver'],
  ['--driver', 'driver'],
  ['-S', 'statistics'],
  ['--statistics', 'statistics'],
]);

/** Options that may come before the command: `--debug N` takes a value. */
const GLOBAL_FLAGS = new Set(['--json', '-I', '--include-statistics', '-Q', '--disable-netlink']);

interface EthtoolCommand {
  mode: Mode;
  dev?: string;
}

function readEthtoolCommand(argv: readonly string[]): EthtoolCommand | undefined {
  if (basename(argv[0] ?? '') !== 'ethtool') return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--debug') {
      i++;
      continue;
    }
    if (GLOBAL_FLAGS.has(a)) continue;
    const mode = MODES.get(a);
    if (mode === undefined) return undefined;
    const dev = argv[i + 1];
    return dev === undefined || dev.startsWith('-') ? { mode } : { mode, dev };
  }
  return undefined;
}

const HEADER = /^(?:Features|Offload parameters) for (\S+):\s*$/;
/** `name: on|off` then `[fixed]`, `[requested on]`, `[not requested]`. Old ethtool names have spaces. */
const FEATURE = /^\s*([^\s:][^:]{0,80}):\s+(on|off)\b(.*)$/;
const FLAG = /\[(fixed|requested on|requested off|not requested)\]/g;
/** `ethtool -i` keys, in the order printed. */
const DRIVER_KEYS: ReadonlySet<string> = new Set([
  'driver',
  'version',
  'firmware-version',
  'expansion-rom-version',
  'bus-info',
  'supports-statistics',
  'supports-test',
  'supports-eeprom-access',
  'supports-register-dump',
  'supports-priv-flags',
]);
const ERRORS = [
  /^netlink error: /,
  /^Cannot (?:get|change|set) /,
  /^Could not change any device features/,
  /^no stats available/,
  /^ethtool: /,
];

/** `driver: vmxnet3` and the like: the key and its value (possibly empty). */
function driverLine(text: string): { key: string; value: string } | undefined {
  const colon = text.indexOf(':');
  if (colon === -1) return undefined;
  const key = text.slice(0, colon);
  return DRIVER_KEYS.has(key) ? { key, value: text.slice(colon + 1).trim() } : undefined;
}

function readFeature(text: string, ledger: Ledger, line: number): EthtoolFeature | string {
  const m = FEATURE.exec(text);
  if (!m) return 'not a feature line';
  const feature: EthtoolFeature = {
    loc: ledger.loc(line),
    name: (m[1] ?? '').trim(),
    on: m[2] === 'on',
    fixed: false,
  };
  const rest = (m[3] ?? '').replace(FLAG, (_, flag: string) => {
    if (flag === 'fixed') feature.fixed = true;
    // `-K` prints `[not requested]` for a feature that changed along with one asked for: what was
    // requested of it is the state it had, the opposite of the new one.
    else feature.requested = flag === 'not requested' ? !feature.on : flag === 'requested on';
    return '';
  });
  return rest.trim() === '' ? feature : `unknown flag(s) ${truncate(rest.trim(), 80)}`;
}

function parseLines(input: ParserInput, ledger: Ledger): void {
  const command = input.command === undefined ? undefined : readEthtoolCommand(input.command.argv);
  const featureLists: EthtoolFeatures[] = [];
  const drivers: EthtoolDriver[] = [];
  let features: EthtoolFeatures | undefined;
  let driver: EthtoolDriver | undefined;
  let statistics = false;
  let commandDevUsed = false;
  const end = (): void => {
    features = undefined;
    driver = undefined;
    statistics = false;
  };
  const startFeatures = (dev: string, line: number): EthtoolFeatures => {
    end();
    const list: EthtoolFeatures = { loc: ledger.loc(line), dev, features: [] };
    featureLists.push(list);
    return list;
  };
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    const header = HEADER.exec(text);
    if (header) {
      features = startFeatures(header[1] ?? '', line.line);
      continue;
    }
    if (text.startsWith('Actual changes:')) {
      // `ethtool -K`: the features that changed follow, the one asked for and any it dragged along.
      features = startFeatures(command?.dev ?? '', line.line);
      ledger.partial('only the features ethtool -K changed');
      continue;
    }
    if (text.startsWith('NIC statistics:')) {
      end();
      statistics = true;
      ledger.skip(line.line);
      continue;
    }
    if (ERRORS.some((re) => re.test(text))) {
      end();
      const dev = command?.dev === undefined ? '' : ` ${command.dev}`;
      const severity = /No such device|no device matches/.test(text) ? 'warning' : 'info';
      ledger.report(line.line, `ethtool${dev}: ${truncate(text.trim(), 160)}`, severity);
      continue;
    }
    const entry = driverLine(text);
    if (entry !== undefined && (entry.key === 'driver' || driver !== undefined)) {
      if (entry.key === 'driver') {
        end();
        driver = { loc: ledger.loc(line.line), driver: entry.value };
        // The command names one device: it is the first driver block's.
        if (command?.mode === 'driver' && command.dev !== undefined && !commandDevUsed) {
          driver.dev = command.dev;
          commandDevUsed = true;
        }
        drivers.push(driver);
        continue;
      }
      driver = driver as EthtoolDriver;
      driver.loc = ledger.loc(driver.loc.line, line.line);
      if (entry.value !== '') {
        if (entry.key === 'version') driver.version = entry.value;
        else if (entry.key === 'firmware-version' && entry.value !== 'N/A')
          driver.firmwareVersion = entry.value;
        else if (entry.key === 'bus-info' && entry.value !== 'N/A') driver.busInfo = entry.value;
      }
      continue;
    }
    if (statistics && /^\s+\S[^:]*:\s*\S*\s*$/.test(text)) {
      // A counter of `ethtool -S`: understood, not kept (no record type for NIC counters).
      ledger.skip(line.line);
      continue;
    }
    const feature = readFeature(text, ledger, line.line);
    if (typeof feature !== 'string') {
      if (features === undefined) {
        // No `Features for` header (`ethtool -k DEV | grep …`): the device is the command's.
        if (command?.mode !== 'show-features' || command.dev === undefined) {
          ledger.unrecognized(line, 'ethtool feature (no "Features for DEV:" header)');
          continue;
        }
        features = startFeatures(command.dev, line.line);
        ledger.partial('features without their header');
      }
      features.features.push(feature);
      features.loc = ledger.loc(features.loc.line, line.line);
      continue;
    }
    if (features !== undefined && feature !== 'not a feature line') {
      ledger.report(line.line, `ethtool feature with ${feature}: ${truncate(text.trim(), 120)}`);
      continue;
    }
    end();
    ledger.unrecognized(line, 'ethtool');
  }
  if (featureLists.length > 0) ledger.facts.ethtoolFeatures = featureLists;
  if (drivers.length > 0) ledger.facts.ethtoolDrivers = drivers;
}

function isEthtoolStart(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  const first = text[0];
  if (first !== 'F' && first !== 'O' && first !== 'd') return false;
  if (HEADER.test(text)) return true;
  // `ethtool -i`: `driver: NAME` and `version:` on the next line.
  return /^driver: \S+\s*$/.test(text) && (lines[index + 1]?.text ?? '').startsWith('version:');
}

export const ethtoolParser: Parser = {
  id: 'ethtool',
  title: 'Device offloads and driver (ethtool)',
  commands: [
    'ethtool -k flannel.1',
    'ethtool -i eth0',
    'ethtool -K flannel.1 tx-checksum-ip-generic off',
    'ethtool -S eth0',
  ],

  matchesCommand(argv: readonly string[]): boolean {
    return readEthtoolCommand(argv) !== undefined;
  },

  detect(lines: readonly Line[], index: number): boolean {
    return isEthtoolStart(lines, index);
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'ethtool', (ledger) => parseLines(input, ledger));
  },
};
