import type Docker from 'dockerode';
import { IMAGE_TOXIPROXY_MAIN } from './image.js';

/** The official Toxiproxy images, in order of preference; used only when present locally. */
export const OFFICIAL_TOXIPROXY_REPOS = ['ghcr.io/shopify/toxiproxy', 'shopify/toxiproxy'] as const;

/** The Toxiproxy API port inside its container. */
export const TOXIPROXY_API_PORT = 8474;

/** Which Toxiproxy a run uses and how to start it. */
export interface ToxiproxyChoice {
  kind: 'official' | 'project';
  image: string;
  entrypoint?: string[];
  cmd: string[];
  /** For `Cluster.description`. */
  label: string;
}

/**
 * The official image when one is present locally (never pulled: there may be no registry),
 * else the project's own server (`/app/toxiproxy.mjs`) in the project's node image.
 */
export async function chooseToxiproxy(docker: Docker, nodeImage: string): Promise<ToxiproxyChoice> {
  const images = await docker.listImages();
  const tags = images.flatMap((i) => i.RepoTags ?? []);
  for (const repo of OFFICIAL_TOXIPROXY_REPOS) {
    const found = tags.filter((t) => t.startsWith(`${repo}:`)).sort((a, b) => rank(a) - rank(b))[0];
    if (found) {
      return {
        kind: 'official',
        image: found,
        cmd: [`-host=0.0.0.0`, `-port=${TOXIPROXY_API_PORT}`],
        label: `official Toxiproxy (${found}) in a container`,
      };
    }
  }
  return {
    kind: 'project',
    image: nodeImage,
    entrypoint: ['node'],
    cmd: [IMAGE_TOXIPROXY_MAIN, '--host', '0.0.0.0', '--port', String(TOXIPROXY_API_PORT)],
    label: `the project's Toxiproxy server (no official image present) in a container of ${nodeImage}`,
  };
}

function rank(tag: string): number {
  return tag.endsWith(':latest') ? 0 : 1;
}

/** Listen port, inside the Toxiproxy container, of the k-th directed link (0-based). */
export function linkListenPort(k: number): number {
  return 20000 + k;
}
