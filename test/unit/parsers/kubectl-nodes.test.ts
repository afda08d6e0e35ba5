// The kubectl fixtures (test/fixtures/parsers/kubectl-nodes--*.out) are hand-made in kubectl's exact output
// format (no cluster exists in the lab): a v1 List of three Node objects flnode1..3 with flannel's
// annotations, keys sorted as kubectl prints them, YAML in go-yaml style, JSON with 4-space indentation,
// and the `-o wide` table; they describe the lab's nodes (subnets 10.27.N.0/24, public IPs 10.18.19.1N,
// VTEP MACs 42:32:74:de:0N:0N).
import { describe, expect, it } from 'vitest';
import { kubectlNodesParser } from '../../../src/core/parsers/kubectl-nodes';
import { uncoveredLines } from '../support/accounting';
import { command, readFixture, toLines } from '../support/parse';

const expected = [1, 2, 3].map((n) => ({
  name: `flnode${n}`,
  podCIDR: `10.27.${n}.0/24`,
  podCIDRs: [`10.27.${n}.0/24`],
  internalIP: `10.18.19.1${n}`,
  annotations: {
    backendData: { vni: 1, vtepMac: `42:32:74:de:0${n}:0${n}` },
    backendType: 'vxlan',
    publicIp: `10.18.19.1${n}`,
    kubeSubnetManager: true,
  },
}));

describe('kubectl-nodes parser', () => {
  it('reads `kubectl get nodes -o yaml`', () => {
    const lines = toLines(readFixture('kubectl-nodes--list-yaml.out'));
    const result = kubectlNodesParser.parse({
      file: 'f',
      lines,
      command: command('kubectl get nodes -o yaml'),
    });
    expect(result.issues).toEqual([]);
    const nodes = result.facts.kubeNodes ?? [];
    expect(nodes.map(({ loc: _loc, ...rest }) => rest)).toEqual(expected);
    expect(nodes.map((n) => [n.loc.line, n.loc.endLine])).toEqual([
      [3, 110],
      [111, 213],
      [214, 316],
    ]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reads `kubectl get nodes -o json`', () => {
    const lines = toLines(readFixture('kubectl-nodes--list-json.out'));
    const result = kubectlNodesParser.parse({
      file: 'f',
      lines,
      command: command('kubectl get nodes -o json'),
    });
    expect(result.issues).toEqual([]);
    const nodes = result.facts.kubeNodes ?? [];
    expect(nodes.map(({ loc: _loc, ...rest }) => rest)).toEqual(expected);
    expect(nodes.map((n) => [n.loc.line, n.loc.endLine])).toEqual([
      [4, 156],
      [157, 301],
      [302, 446],
    ]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reads `kubectl get nodes -o wide`', () => {
    const lines = toLines(readFixture('kubectl-nodes--wide.out'), 20);
    const result = kubectlNodesParser.parse({
      file: 'f',
      lines,
      command: command('kubectl get nodes -o wide'),
    });
    expect(result.issues).toEqual([]);
    expect(result.facts.kubeNodes).toEqual(
      [1, 2, 3].map((n) => ({
        loc: { file: 'f', line: 20 + n },
        name: `flnode${n}`,
        internalIP: `10.18.19.1${n}`,
        annotations: {},
      })),
    );
    expect(result.skipped).toEqual([20]);
  });

  it('reads a single Node (`kubectl get node flnode2 -o yaml|json`)', () => {
    const yaml = readFixture('kubectl-nodes--list-yaml.out').split('\n').slice(110, 213);
    // An item of the List, dedented, is what `kubectl get node NAME -o yaml` prints.
    const single = yaml.map((l, i) => (i === 0 ? l.slice(2) : l.slice(2))).join('\n');
    const lines = toLines(single, 5);
    const result = kubectlNodesParser.parse({
      file: 'f',
      lines,
      command: command('kubectl get node flnode2 -o yaml'),
    });
    expect(result.issues).toEqual([]);
    expect(result.facts.kubeNodes?.map((n) => [n.name, n.loc.line, n.loc.endLine])).toEqual([
      ['flnode2', 5, 107],
    ]);
    expect(result.facts.kubeNodes?.[0]?.annotations.backendData?.vtepMac).toBe('42:32:74:de:02:02');

    const json = JSON.stringify(
      JSON.parse(readFixture('kubectl-nodes--list-json.out')).items[2] as unknown,
      null,
      4,
    );
    const jlines = toLines(json);
    const jresult = kubectlNodesParser.parse({ file: 'f', lines: jlines });
    expect(jresult.issues).toEqual([]);
    expect(jresult.facts.kubeNodes?.map((n) => [n.name, n.loc.line, n.loc.endLine])).toEqual([
      ['flnode3', 1, jlines.length],
    ]);
    expect(uncoveredLines(jlines, jresult)).toEqual([]);
  });

  it('locates malformed JSON and keeps the intact nodes', () => {
    const text = readFixture('kubectl-nodes--list-json.out').split('\n');
    // Drop the comma after flnode2's podCIDR (line 183).
    text[182] = (text[182] ?? '').replace(/,$/, '');
    const lines = toLines(text.join('\n'));
    const result = kubectlNodesParser.parse({ file: 'f', lines });
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.line)).toEqual([184]);
    expect(errors[0]?.message).toContain('CommaExpected');
    expect(result.facts.kubeNodes?.map((n) => n.name)).toEqual(['flnode1', 'flnode3']);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('locates malformed YAML', () => {
    const text = readFixture('kubectl-nodes--list-yaml.out').split('\n');
    text[132] = '    podCIDR: [10.27.2.0/24'; // line 133: an unclosed flow sequence
    const lines = toLines(text.join('\n'));
    const result = kubectlNodesParser.parse({ file: 'f', lines });
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(133);
    expect(errors[0]?.line).toBeLessThanOrEqual(134);
    expect(result.facts.kubeNodes?.map((n) => n.name)).toContain('flnode1');
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('warns on bad annotation values at their lines', () => {
    const yaml = `apiVersion: v1
kind: Node
metadata:
  annotations:
    flannel.alpha.coreos.com/backend-data: '{"VNI":1,"VtepMAC":'
    flannel.alpha.coreos.com/public-ip: not-an-ip
    flannel.alpha.coreos.com/kube-subnet-manager: "maybe"
  name: broken
spec:
  podCIDR: 10.27.9.0/99
status:
  addresses:
  - address: 10.18.19.99
    type: InternalIP
  - address: 192.0.2.9
    type: ExternalIP`;
    const lines = toLines(yaml);
    const result = kubectlNodesParser.parse({ file: 'f', lines });
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([
      [10, 'warning'],
      [5, 'warning'],
      [6, 'warning'],
      [7, 'warning'],
    ]);
    expect(result.facts.kubeNodes).toEqual([
      {
        loc: { file: 'f', line: 1, endLine: 16 },
        name: 'broken',
        internalIP: '10.18.19.99',
        externalIP: '192.0.2.9',
        annotations: {},
      },
    ]);
  });

  it('reports kubectl errors and `No resources found`', () => {
    const lines = toLines(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
    const result = kubectlNodesParser.parse({
      file: 'f',
      lines,
      command: command('kubectl get nodes -o yaml'),
    });
    expect(result.issues.map((i) => i.severity)).toEqual(['warning']);
    expect(result.facts.kubeNodes).toBeUndefined();
    const empty = kubectlNodesParser.parse({ file: 'f', lines: toLines('No resources found') });
    expect(empty.facts.kubeNodes).toEqual([]);
  });

  it('reads `-o name`', () => {
    const result = kubectlNodesParser.parse({ file: 'f', lines: toLines('node/flnode1\nnode/flnode2') });
    expect(result.facts.kubeNodes?.map((n) => n.name)).toEqual(['flnode1', 'flnode2']);
  });

  it('matches kubectl and oc commands', () => {
    const yes = [
      'kubectl get nodes -o yaml',
      'kubectl get nodes -o json',
      'kubectl get nodes -ojson',
      'kubectl get nodes --output=yaml',
      'kubectl get node flnode1 -o yaml',
      'kubectl get no -o wide',
      'kubectl get nodes',
      'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json',
      'kubectl get nodes/flnode1 -o json',
      'oc get nodes -o yaml',
      'k3s kubectl get nodes -o yaml',
    ];
    for (const c of yes) expect(kubectlNodesParser.matchesCommand(c.split(' ')), c).toBe(true);
    const no = [
      'kubectl get pods -o yaml',
      'kubectl describe node flnode1',
      "kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}'",
      'kubectl get nodes,pods -o yaml',
      'kubectl -n kube-system get pods',
    ];
    for (const c of no) expect(kubectlNodesParser.matchesCommand(c.split(' ')), c).toBe(false);
  });

  it('detects headerless output', () => {
    const yaml = toLines(readFixture('kubectl-nodes--list-yaml.out'));
    expect(kubectlNodesParser.detect(yaml, 0)).toBe(true);
    expect(kubectlNodesParser.detect(yaml, 2)).toBe(false); // `- apiVersion: v1` inside the list
    const json = toLines(readFixture('kubectl-nodes--list-json.out'));
    expect(kubectlNodesParser.detect(json, 0)).toBe(true);
    expect(kubectlNodesParser.detect(json, 3)).toBe(false);
    expect(kubectlNodesParser.detect(toLines(readFixture('kubectl-nodes--wide.out')), 0)).toBe(true);
    expect(kubectlNodesParser.detect(toLines('apiVersion: v1\nkind: Pod'), 0)).toBe(false);
  });
});
