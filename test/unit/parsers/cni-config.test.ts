import { describe, expect, it } from 'vitest';
import { cniConfigParser } from '../../../src/core/parsers/cni-config';
import { uncoveredLines } from '../support/accounting';
import { command, toLines } from '../support/parse';

// Lines 2-21 of examples/k8snode028.netsnap (after `cat /etc/cni/net.d/10-flannel.conflist`).
const K8SNODE028 = `{
  "name":"cni0",
  "cniVersion":"0.3.1",
  "plugins":[
    {
      "type":"flannel",
      "delegate":{
        "forceAddress":true,
        "hairpinMode": true,
        "isDefaultGateway":true
      }
    },
    {
      "type":"portmap",
      "capabilities":{
        "portMappings":true
      }
    }
  ]
}`;

const FLANNEL_CONF = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "type": "flannel",
  "delegate": { "hairpinMode": true, "isDefaultGateway": true }
}`;

describe('cni-config parser', () => {
  it('reads the k8snode028 conflist with its lines', () => {
    const lines = toLines(K8SNODE028, 2);
    const result = cniConfigParser.parse({
      file: 'k8snode028.netsnap',
      lines,
      command: command('cat /etc/cni/net.d/10-flannel.conflist'),
    });
    expect(result.issues).toEqual([]);
    const configs = result.facts.cniConfigs ?? [];
    expect(configs).toHaveLength(1);
    const c = configs[0];
    expect(c?.loc).toEqual({ file: 'k8snode028.netsnap', line: 2, endLine: 21 });
    expect(c?.path).toBe('/etc/cni/net.d/10-flannel.conflist');
    expect(c?.name).toBe('cni0');
    expect(c?.cniVersion).toBe('0.3.1');
    expect(c?.isList).toBe(true);
    expect(c?.plugins.map((p) => [p.type, p.loc.line, p.loc.endLine])).toEqual([
      ['flannel', 6, 13],
      ['portmap', 14, 19],
    ]);
    expect(c?.plugins[0]?.config).toEqual({
      type: 'flannel',
      delegate: { forceAddress: true, hairpinMode: true, isDefaultGateway: true },
    });
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reads a single-plugin .conf as a one-plugin config', () => {
    const lines = toLines(FLANNEL_CONF);
    const result = cniConfigParser.parse({
      file: 'f',
      lines,
      command: command('cat /etc/cni/net.d/10-flannel.conf'),
    });
    expect(result.issues).toEqual([]);
    const c = result.facts.cniConfigs?.[0];
    expect(c?.isList).toBe(false);
    expect(c?.name).toBe('cbr0');
    expect(c?.plugins).toHaveLength(1);
    expect(c?.plugins[0]?.type).toBe('flannel');
    expect(c?.plugins[0]?.loc).toEqual({ file: 'f', line: 1, endLine: 6 });
    expect(c?.plugins[0]?.config['delegate']).toEqual({ hairpinMode: true, isDefaultGateway: true });
  });

  it('reads several files printed in a row and names them from argv', () => {
    const text = `${FLANNEL_CONF}\n${K8SNODE028}`;
    const lines = toLines(text, 30);
    const result = cniConfigParser.parse({
      file: 'f',
      lines,
      command: command('cat /etc/cni/net.d/10-flannel.conf /etc/cni/net.d/10-flannel.conflist'),
    });
    expect(result.issues).toEqual([]);
    expect(result.facts.cniConfigs?.map((c) => [c.path, c.loc.line, c.loc.endLine, c.isList])).toEqual([
      ['/etc/cni/net.d/10-flannel.conf', 30, 35, false],
      ['/etc/cni/net.d/10-flannel.conflist', 36, 55, true],
    ]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('takes paths from `==> file <==` headers', () => {
    const text = `==> /etc/cni/net.d/10-flannel.conflist <==\n${K8SNODE028}\n\n==> /etc/cni/net.d/99-loopback.conf <==\n{"cniVersion":"0.3.1","name":"lo","type":"loopback"}`;
    const lines = toLines(text);
    const result = cniConfigParser.parse({
      file: 'f',
      lines,
      command: command('tail -n +1 /etc/cni/net.d/*'),
    });
    expect(result.issues).toEqual([]);
    expect(result.facts.cniConfigs?.map((c) => [c.path, c.loc.line, c.loc.endLine ?? c.loc.line])).toEqual([
      ['/etc/cni/net.d/10-flannel.conflist', 2, 21],
      ['/etc/cni/net.d/99-loopback.conf', 24, 24],
    ]);
    expect(result.skipped).toEqual(expect.arrayContaining([1, 22, 23]));
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('does not guess a path for a glob without headers', () => {
    const lines = toLines(FLANNEL_CONF);
    const result = cniConfigParser.parse({ file: 'f', lines, command: command('cat /etc/cni/net.d/*') });
    expect(result.facts.cniConfigs?.[0]?.path).toBeUndefined();
  });

  it('reports malformed JSON as an error on the right line, without a record', () => {
    // Line 13 lacks the comma after the first plugin's closing brace.
    const broken = K8SNODE028.replace(
      '    },\n    {\n      "type":"portmap"',
      '    }\n    {\n      "type":"portmap"',
    );
    const lines = toLines(broken, 2);
    const result = cniConfigParser.parse({
      file: 'f',
      lines,
      command: command('cat /etc/cni/net.d/10-flannel.conflist'),
    });
    expect(result.facts.cniConfigs).toBeUndefined();
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors[0]?.line).toBe(14);
    expect(errors[0]?.message).toContain('CommaExpected');
    expect(errors[0]?.message).toContain('/etc/cni/net.d/10-flannel.conflist');
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reports a truncated document and still reads the next one', () => {
    const text = `{\n  "name": "cbr0",\n  "type": "flannel",\n${K8SNODE028}`;
    const lines = toLines(text);
    const result = cniConfigParser.parse({ file: 'f', lines });
    expect(result.issues.some((i) => i.severity === 'error' && i.line >= 1 && i.line <= 4)).toBe(true);
    // The truncated document's last line ends with a comma, so the next `{` continues it; both are
    // reported rather than read wrongly.
    expect(uncoveredLines(lines, result)).toEqual([]);
    const separated = toLines(`{\n  "name": "cbr0",\n  "type": "flannel"\n${K8SNODE028}`);
    const second = cniConfigParser.parse({ file: 'f', lines: separated });
    // The missing `}` is reported on the truncated document's last line.
    expect(second.issues.filter((i) => i.severity === 'error').map((i) => i.line)).toEqual([3]);
    expect(second.facts.cniConfigs?.map((c) => [c.name, c.loc.line])).toEqual([['cni0', 4]]);
    expect(uncoveredLines(separated, second)).toEqual([]);
  });

  it('warns when a file is missing and reports stray text', () => {
    const lines = toLines(
      `cat: /etc/cni/net.d/10-flannel.conflist: No such file or directory\n${FLANNEL_CONF}\nhello`,
    );
    const result = cniConfigParser.parse({
      file: 'f',
      lines,
      command: command('cat /etc/cni/net.d/10-flannel.conflist /etc/cni/net.d/10-flannel.conf'),
    });
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'warning'],
      [8, 'info'],
    ]);
    expect(result.facts.cniConfigs?.[0]?.path).toBe('/etc/cni/net.d/10-flannel.conf');
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('warns on a config without plugins or type', () => {
    const lines = toLines(
      '{"cniVersion":"0.3.1","name":"x","plugins":[]}\n{"cniVersion":"0.3.1","name":"y"}',
    );
    const result = cniConfigParser.parse({ file: 'f', lines });
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
    ]);
    expect(result.facts.cniConfigs).toHaveLength(2);
  });

  it('matches commands that print CNI configs', () => {
    expect(cniConfigParser.matchesCommand(['cat', '/etc/cni/net.d/10-flannel.conflist'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['cat', '/etc/cni/net.d/10-flannel.conf'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['cat', '/etc/cni/net.d/*'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['tail', '-n', '+1', '/etc/cni/net.d/*'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['jq', '.', '/etc/cni/net.d/10-flannel.conflist'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['cat', '10-flannel.conflist'])).toBe(true);
    expect(cniConfigParser.matchesCommand(['cat', '/run/flannel/subnet.env'])).toBe(false);
    expect(cniConfigParser.matchesCommand(['ls', '/etc/cni/net.d/'])).toBe(false);
    expect(cniConfigParser.matchesCommand(['cat', '/etc/kubernetes/kubelet.conf'])).toBe(false);
  });

  it('detects a headerless config but not nested objects or kubectl JSON', () => {
    const lines = toLines(K8SNODE028);
    expect(cniConfigParser.detect(lines, 0)).toBe(true);
    expect(cniConfigParser.detect(lines, 4)).toBe(false); // an indented plugin object
    expect(cniConfigParser.detect(toLines('==> /etc/cni/net.d/10-flannel.conflist <=='), 0)).toBe(true);
    expect(
      cniConfigParser.detect(toLines('{\n  "apiVersion": "v1",\n  "kind": "Node",\n  "type": "x"'), 0),
    ).toBe(false);
    expect(cniConfigParser.detect(toLines('[{"dst":"default","type":"unicast"}]'), 0)).toBe(false);
  });
});
