import { beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ensureNodeImage, NODE_IMAGE_REPO } from './image.js';
import { LABEL_IMAGE, LABEL_IMAGE_HASH, LABEL_IMAGE_METHOD, LABEL_PROJECT } from './labels.js';
import { describeDocker, requireEngine } from '../../test-support/docker.js';

describeDocker('node image, built offline', () => {
  let docker: Docker;
  beforeAll(() => {
    docker = requireEngine();
  });

  it('builds FROM scratch with the host node, then reuses it while the sources are unchanged', async () => {
    const lines: string[] = [];
    const first = await ensureNodeImage(docker, { force: true, onProgress: (l) => lines.push(l) });
    expect(first.built).toBe(true);
    expect(first.method).toBe('offline'); // no node:20-slim here
    expect(first.tag).toMatch(new RegExp(`^${NODE_IMAGE_REPO}:[0-9a-f]{12}$`));
    expect(lines.join('\n')).toMatch(/building raft-chaos-node:[0-9a-f]{12} \(offline, FROM scratch: node v20/);

    const info = await docker.getImage(first.tag).inspect();
    expect(info.Config.Labels).toMatchObject({ [LABEL_IMAGE]: 'node', [LABEL_IMAGE_HASH]: first.hash, [LABEL_IMAGE_METHOD]: 'offline' });
    expect(info.Config.Labels?.[LABEL_PROJECT]).toBeUndefined(); // containers inherit image labels
    expect(info.Config.Entrypoint).toEqual(['node', '/app/node.mjs']);
    expect((await docker.getImage(`${NODE_IMAGE_REPO}:latest`).inspect()).Id).toBe(info.Id);

    const again = await ensureNodeImage(docker, { onProgress: () => {} });
    expect(again).toMatchObject({ built: false, tag: first.tag, hash: first.hash });
    expect(again.ms).toBeLessThan(first.ms);
  });
});
