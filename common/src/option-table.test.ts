import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseTable, usageOf, wrapList, type OptionSpec } from './option-table.js';

const specs: OptionSpec[] = [
  { name: 'nodes', type: 'string', usage: '--nodes N', help: 'cluster size' },
  { name: 'report-dir', type: 'string', aliases: ['out'], usage: '--report-dir DIR', help: 'where reports go\nsecond line' },
  { name: 'pre-vote', type: 'boolean', usage: '--pre-vote / --no-pre-vote', help: 'Pre-Vote' },
  { name: 'bug', type: 'string', multiple: true, usage: '--bug NAME', help: 'a bug' },
];

describe('parseTable', () => {
  it('reads values, negations, repeats and positionals', () => {
    const r = parseTable(['x', '--nodes', '5', '--no-pre-vote', '--bug', 'a', '--bug=b'], specs, 'USAGE', { positionals: true });
    expect(r.values).toMatchObject({ nodes: '5', 'pre-vote': false, bug: ['a', 'b'] });
    expect(r.positionals).toEqual(['x']);
  });
  it('reads an old name as the option (--out is --report-dir)', () => {
    expect(parseTable(['--out', 'd'], specs, 'U').values['report-dir']).toBe('d');
    expect(parseTable(['--out=d'], specs, 'U').values['report-dir']).toBe('d');
  });
  it('takes a negative number as the value, for the option to refuse by name (not "ambiguous")', () => {
    expect(parseTable(['--nodes', '-1'], specs, 'U').values['nodes']).toBe('-1');
  });
  it('refuses unknown options with the usage', () => {
    expect(() => parseTable(['--nope'], specs, 'USAGE TEXT')).toThrow(ConfigError);
    expect(() => parseTable(['--nope'], specs, 'USAGE TEXT')).toThrow(/unknown option --nope\n[\s\S]*USAGE TEXT/);
  });
  // Node's parser text (its advice about '--' and positionals) must never reach the user.
  it.each([
    [['--nods', '5'], {}, /^unknown option --nods \(did you mean --nodes\?\)\n/],
    [['--no-pre-vot'], {}, /^unknown option --no-pre-vot \(did you mean --no-pre-vote\?\)\n/],
    [['--frobnicate'], { positionals: true }, /^unknown option --frobnicate\n/],
    [['-x'], { positionals: true }, /^unknown option -x\n/],
    [['--nodes'], {}, /^--nodes needs a value\n/],
    [['--report-dir', '-x'], {}, /^--report-dir needs a value \(for one that starts with a dash, write --report-dir=-VALUE\)\n/],
    [['--pre-vote=yes'], {}, /^--pre-vote takes no value\n/],
    [['stray'], {}, /^unexpected argument "stray" \(this command takes options only\)\n/],
  ])('says %j in its own words', (argv, opts, message) => {
    let thrown: unknown;
    try {
      parseTable(argv, specs, 'USAGE', opts);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toMatch(/To specify|positional argument|Did you forget|<value>|ambiguous/);
  });
});

describe('usageOf', () => {
  it('lists each option once, new names only, help lines aligned', () => {
    expect(usageOf(specs, 30)).toBe(
      [
        '  --nodes N                   cluster size',
        '  --report-dir DIR            where reports go',
        '                              second line',
        '  --pre-vote / --no-pre-vote  Pre-Vote',
        '  --bug NAME                  a bug',
      ].join('\n'),
    );
  });
});

describe('wrapList', () => {
  it('breaks a long list into lines of at most the width, commas kept', () => {
    const text = wrapList(['forget-vote', 'vote-twice', 'majority-off-by-one', 'fixed-timeout', 'candidate-no-retry'], 30);
    expect(text).toBe('forget-vote, vote-twice,\nmajority-off-by-one,\nfixed-timeout,\ncandidate-no-retry');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });
});
