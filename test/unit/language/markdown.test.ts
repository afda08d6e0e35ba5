import { describe, expect, it } from 'vitest';
import { codeBlock, escapeMarkdown, renderMarkdown } from '../../../src/core/language';

describe('escapeMarkdown', () => {
  it('escapes every ASCII punctuation character, so nothing becomes markup', () => {
    const hostile =
      '<img src=x onerror=alert(1)> `code` [link](command:workbench.action.terminal.new) *b* _i_ # h & &lt; |t|';
    const escaped = escapeMarkdown(hostile);
    // Every punctuation character is preceded by a backslash; letters, digits and spaces are untouched.
    expect(escaped.replace(/\\[!-/:-@[-`{-~]/g, '')).toMatch(/^[A-Za-z0-9 ]*$/);
    expect(escaped).toContain('\\<img src\\=x onerror\\=alert\\(1\\)\\>');
    expect(escaped).toContain('\\`code\\`');
    expect(escaped).toContain('\\[link\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)');
    expect(escaped).toContain('\\&lt\\;');
  });

  it('breaks autolinks and keeps text on one line', () => {
    expect(escapeMarkdown('see https://example.com or www.example.com')).toBe(
      'see https\\:\\/\\/example\\.com or www\\.example\\.com',
    );
    // Shown as `a\nb\r\n\tc`: the escapes' backslashes are escaped in turn.
    expect(escapeMarkdown('a\nb\r\n\tc')).toBe('a\\\\nb\\\\r\\\\n\\\\tc');
  });

  it('shows control and bidirectional characters as escapes', () => {
    expect(escapeMarkdown('a\u0000b\u202ec\u001bd\u0085')).toBe('a\\\\x00b\\\\u202ec\\\\x1bd\\\\x85');
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(codeBlock('ip link set x up', 'sh')).toBe('```sh\nip link set x up\n```');
    expect(codeBlock('a ````` b')).toBe('``````\na ````` b\n``````');
  });
});

describe('renderMarkdown', () => {
  it('renders titles, lists with marks and links, and code', () => {
    const md = renderMarkdown(
      [
        { kind: 'title', text: 'MAC address 42:32:74:de:03:03' },
        {
          kind: 'list',
          title: 'Path',
          items: [
            {
              text: 'neighbour 10.27.3.0',
              mark: 'broken',
              loc: { key: 'k', line: 14 },
              locLabel: 'a.netsnap:14',
            },
          ],
        },
        { kind: 'code', text: 'ip neigh del 10.29.13.0 dev flannel.1' },
      ],
      (loc) => `file:///w/a.netsnap#L${loc.line}`,
    );
    expect(md).toBe(
      [
        '**MAC address 42\\:32\\:74\\:de\\:03\\:03**',
        '*Path*\n\n- **BROKEN** neighbour 10\\.27\\.3\\.0 — [a\\.netsnap\\:14](file:///w/a.netsnap#L14)',
        '```sh\nip neigh del 10.29.13.0 dev flannel.1\n```',
      ].join('\n\n'),
    );
  });

  it('never emits a command, script or data link, and encodes link characters', () => {
    const item = (link: string) =>
      renderMarkdown(
        [{ kind: 'list', title: 't', items: [{ text: 'x', loc: { key: 'k', line: 1 } }] }],
        () => link,
      );
    expect(item('command:workbench.action.terminal.new')).not.toContain('](');
    expect(item(' JavaScript:alert(1)')).not.toContain('](');
    expect(item('data:text/html,<b>')).not.toContain('](');
    expect(item('file:///a b/(c).netsnap#L1')).toContain('](file:///a%20b/%28c%29.netsnap#L1)');
  });
});

describe('renderMarkdown: verdicts and command links', () => {
  it("links only netsnap's own commands, with the arguments percent-encoded", () => {
    const md = renderMarkdown([
      { kind: 'verdict', mark: 'broken', text: 'flnode1 cannot reach pods on flnode3 `x`' },
      {
        kind: 'command',
        title: 'Show full analysis…',
        command: 'netsnap.showAnalysis',
        args: ['file:///a b/(x).netsnap', 14, 3],
      },
      { kind: 'command', title: 'Run', command: 'workbench.action.terminal.new', args: [] },
    ]);
    const [verdict, link, refused] = md.split('\n\n');
    expect(verdict).toBe('**BROKEN** · flnode1 cannot reach pods on flnode3 \\`x\\`');
    expect(link).toBe(
      '[Show full analysis…](command:netsnap.showAnalysis?%5B%22file%3A%2F%2F%2Fa%20b%2F%28x%29.netsnap%22%2C14%2C3%5D)',
    );
    expect(JSON.parse(decodeURIComponent(link?.slice(link.indexOf('?') + 1, -1) ?? ''))).toEqual([
      'file:///a b/(x).netsnap',
      14,
      3,
    ]);
    expect(refused).toBe('Run');
  });
});
