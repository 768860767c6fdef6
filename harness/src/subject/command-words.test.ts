import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { splitCommand } from './command-words.js';

describe('splitCommand', () => {
  it.each([
    ['python3 node.py', ['python3', 'node.py']],
    ['  node   my-node.mjs  ', ['node', 'my-node.mjs']],
    ['env BUGS=volatile DATA_DIR={dataDir} node my-node.mjs', ['env', 'BUGS=volatile', 'DATA_DIR={dataDir}', 'node', 'my-node.mjs']],
    [`python3 "my node.py" --peers '{peers}'`, ['python3', 'my node.py', '--peers', '{peers}']],
    [`sh -c 'echo "$HOME" | cat'`, ['sh', '-c', 'echo "$HOME" | cat']],
    [String.raw`echo "a \"quoted\" \\ word" plain\ space`, ['echo', 'a "quoted" \\ word', 'plain space']],
    [`node --x='' --y=""`, ['node', '--x=', '--y=']],
    [`a''b "c"'d'`, ['ab', 'cd']],
    ['node $HOME/x.mjs *.txt ~', ['node', '$HOME/x.mjs', '*.txt', '~']],
  ])('splits %j into words without a shell', (text, words) => {
    expect(splitCommand(text)).toEqual(words);
  });

  it.each([
    ['', /--node-command is empty/],
    ['   ', /--node-command is empty/],
    [`python3 'node.py`, /unterminated ' quote/],
    ['python3 "node.py', /unterminated " quote/],
    ['python3 node.py | tee log', /"\|" would reach the program as an argument: the command runs without a shell/],
    ['cd x && node y', /"&&" would reach the program/],
    ['node y > log', /">" would reach the program/],
  ])('refuses %j', (text, message) => {
    expect(() => splitCommand(text)).toThrow(ConfigError);
    expect(() => splitCommand(text)).toThrow(message);
  });

  it('names the place it was given', () => {
    expect(() => splitCommand('', 'my.json: launch.command')).toThrow(/^my\.json: launch\.command is empty/);
  });
});
