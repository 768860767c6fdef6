import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../build/bundles.js';

interface Service {
  image?: string;
  entrypoint?: string[];
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  labels?: Record<string, string>;
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const nodes = ['n1', 'n2', 'n3'];

describe('docker-compose.yml', () => {
  it('has three nodes and Toxiproxy on the locally built image, ports on 127.0.0.1 only', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['n1', 'n2', 'n3', 'toxiproxy', 'toxiproxy-setup']);
    for (const s of Object.values(compose.services)) {
      expect(s.image).toBe('raft-chaos-node:latest');
      for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      expect(s.labels?.['raft-chaos']).toBeUndefined(); // npm run cleanup must not take them
    }
    expect(compose.services.toxiproxy!.entrypoint).toEqual(['node', '/app/toxiproxy.mjs']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['n1-data', 'n2-data', 'n3-data']);
  });

  it('routes every directed link through its own proxy: ni reaches nj at the proxy ni-to-nj', () => {
    const proxies = JSON.parse(compose.services['toxiproxy-setup']!.environment!.PROXIES!) as Array<{
      name: string;
      listen: string;
      upstream: string;
    }>;
    expect(proxies).toHaveLength(nodes.length * (nodes.length - 1));
    for (const from of nodes) {
      const cmd = compose.services[from]!.command!;
      expect(cmd.slice(0, 2)).toEqual(['--id', from]);
      const peers = cmd[cmd.indexOf('--peers') + 1]!.split(',').map((p) => p.split('='));
      expect(peers.map(([id]) => id).sort()).toEqual(nodes.filter((n) => n !== from));
      for (const [to, addr] of peers) {
        const port = addr!.replace(/^toxiproxy:/, '');
        const proxy = proxies.find((p) => p.listen === `0.0.0.0:${port}`);
        expect(proxy).toEqual({ name: `${from}-to-${to}`, listen: `0.0.0.0:${port}`, upstream: `${to}:7000` });
      }
    }
  });
});
