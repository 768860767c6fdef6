import { afterEach, expect, it } from 'vitest';
import { asGuard, othersListen } from './signal-guards.js';

const added: Array<() => void> = [];
afterEach(() => {
  for (const l of added.splice(0)) process.off('SIGHUP', l);
});
const listen = (l: () => void) => {
  added.push(l);
  process.on('SIGHUP', l);
};

it('guards do not count one another; any other listener counts', () => {
  const before = othersListen('SIGHUP');
  listen(asGuard(() => {}));
  listen(asGuard(() => {}));
  expect(othersListen('SIGHUP')).toBe(before);
  listen(() => {});
  expect(othersListen('SIGHUP')).toBe(true);
});
