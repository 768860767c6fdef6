import { ConfigError } from '../../../common/src/errors.js';

/** Words a shell would treat as operators: refused, since no shell ever runs the command. */
const SHELL_OPERATORS = new Set(['|', '||', '&&', '&', ';', '>', '>>', '<', '2>', '2>&1', '$(', '`']);

/**
 * Splits a command line into argv words the way a POSIX shell splits words, without a shell:
 * blanks separate words; `'...'` keeps everything literally; `"..."` keeps blanks and takes
 * `\"` and `\\`; a backslash outside quotes keeps the next character. Nothing is expanded
 * (`$HOME`, `*` and `~` stay as typed) and `{id}`-style templates pass through for
 * `fillTemplate`. Throws ConfigError naming `what` for an unterminated quote, an empty
 * command, or a shell operator standing as a word (`|`, `&&`, `>`...), which would be passed
 * to the program as an argument.
 */
export function splitCommand(text: string, what = '--node-command'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ConfigError(`${what}: unterminated ' quote in ${JSON.stringify(text)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) throw new ConfigError(`${what}: unterminated " quote in ${JSON.stringify(text)}`);
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new ConfigError(`${what} is empty: give the program to run, e.g. "python3 node.py"`);
  const op = words.find((w) => SHELL_OPERATORS.has(w));
  if (op !== undefined) {
    throw new ConfigError(
      `${what}: ${JSON.stringify(op)} would reach the program as an argument: the command runs without a shell. ` +
        `Put the pipeline in a script, or run it through a shell yourself: sh -c '...'`,
    );
  }
  return words;
}
