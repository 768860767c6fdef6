import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { parseCleanupArgs } from './cleanup-args.js';

describe('npm run cleanup arguments', () => {
  it('keeps runs in progress by default: only --all (or its old name --force) reaches them', () => {
    expect(parseCleanupArgs([])).toEqual({ all: false, images: false });
    expect(parseCleanupArgs(['--stale'])).toEqual({ all: false, images: false });
    expect(parseCleanupArgs(['--all'])).toEqual({ all: true, images: false });
    expect(parseCleanupArgs(['--force', '--images', '--socket', '/s'])).toEqual({ all: true, images: true, socket: '/s' });
  });
  it('refuses --stale with --all, and unknown options in its own words', () => {
    expect(() => parseCleanupArgs(['--stale', '--all'])).toThrow(/--stale \(the default\) and --all contradict each other/);
    expect(() => parseCleanupArgs(['--al'])).toThrow(ConfigError);
    expect(() => parseCleanupArgs(['--al'])).toThrow(/^unknown option --al \(did you mean --all\?\)\nusage: npm run cleanup/);
  });
});
