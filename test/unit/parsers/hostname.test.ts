import { describe, expect, it } from 'vitest';
import { hostnameParser } from '../../../src/core/parsers/hostname';
import { uncoveredLines } from '../support/accounting';
import { toLines } from '../support/parse';

describe('hostname parser', () => {
  it('reads one name', () => {
    const result = hostnameParser.parse({ file: 'f', lines: toLines('k8snode028', 5) });
    expect(result.issues).toEqual([]);
    expect(result.facts.hostname).toEqual({ loc: { file: 'f', line: 5 }, name: 'k8snode028' });
    const fqdn = hostnameParser.parse({ file: 'f', lines: toLines('k8snode028.example.com') });
    expect(fqdn.facts.hostname?.name).toBe('k8snode028.example.com');
  });

  it('reports extra lines as info and skips blanks and comments', () => {
    const lines = toLines('# /etc/hostname\n\nflnode1\nflnode2\nsomething else');
    const result = hostnameParser.parse({ file: 'f', lines });
    expect(result.facts.hostname).toEqual({ loc: { file: 'f', line: 3 }, name: 'flnode1' });
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([
      [4, 'info'],
      [5, 'info'],
    ]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('warns when the name cannot be read', () => {
    const lines = toLines('hostname: Name or service not known');
    const result = hostnameParser.parse({ file: 'f', lines });
    expect(result.facts.hostname).toBeUndefined();
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([[1, 'warning']]);
    const missing = hostnameParser.parse({
      file: 'f',
      lines: toLines('cat: /etc/hostname: No such file or directory'),
    });
    expect(missing.issues.map((i) => i.severity)).toEqual(['warning']);
  });

  it('reports a line that is not a host name', () => {
    const lines = toLines('this is not a name');
    const result = hostnameParser.parse({ file: 'f', lines });
    expect(result.facts.hostname).toBeUndefined();
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([[1, 'info']]);
  });

  it('matches the commands that print the host name, not those that set it', () => {
    for (const argv of [
      ['hostname'],
      ['hostname', '-f'],
      ['hostname', '--fqdn'],
      ['hostname', '-s'],
      ['/bin/hostname'],
      ['cat', '/etc/hostname'],
      ['uname', '-n'],
      ['hostnamectl', 'hostname'],
    ]) {
      expect(hostnameParser.matchesCommand(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [
      ['hostname', 'newname'],
      ['hostname', '-F', '/etc/hostname'],
      ['hostname', '-I'],
      ['hostname', '-i'],
      ['uname', '-a'],
      ['uname'],
      ['cat', '/etc/hosts'],
      ['hostnamectl'],
    ]) {
      expect(hostnameParser.matchesCommand(argv), argv.join(' ')).toBe(false);
    }
  });

  it('does not claim headerless text', () => {
    expect(hostnameParser.detect(toLines('k8snode028'), 0)).toBe(false);
  });
});
