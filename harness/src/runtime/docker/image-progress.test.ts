import type Docker from 'dockerode';
import { expect, it } from 'vitest';
import { ensureNodeImage } from './image.js';

/**
 * An engine where every image but the Dockerfile's base exists (no Docker is touched): the node
 * image for the current sources is found, so nothing is built.
 */
const docker = {
  getImage: (ref: string) => ({
    inspect: async () => {
      if (ref.startsWith('node:')) throw Object.assign(new Error('no such image'), { statusCode: 404 });
      return { Id: 'sha256:same' };
    },
    tag: async () => {},
  }),
  listImages: async () => [],
} as unknown as Docker;

it('an image that is up to date reads as checked and reused, never as "bundling" then "reusing"', async () => {
  const lines: string[] = [];
  const image = await ensureNodeImage(docker, { method: 'dockerfile', onProgress: (l) => lines.push(l) });
  expect(image.built).toBe(false);
  expect(lines[0]).toMatch(/^checking the bundles of the node and the Toxiproxy server/);
  expect(lines.join('\n')).toMatch(/raft-chaos-node:[0-9a-f]{12} is up to date \(sources unchanged\), reusing it/);
  expect(lines.join('\n')).not.toMatch(/bundling/);
});
