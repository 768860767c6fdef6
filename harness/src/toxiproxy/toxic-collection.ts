import { toxicExists, toxicNotFound } from './api/api-error.js';
import type { JsonObject } from './api/request-body.js';
import type { Connection } from './connection.js';
import { checkName } from './names.js';
import { createToxic, parseToxicHeader, type Stream, type Toxic, updateToxic } from './toxic.js';

/**
 * The toxics of one proxy, per direction in insertion order. Every change is applied at once to
 * the proxy's open connections (given by `connections`).
 */
export class ToxicCollection {
  private readonly chains: Record<Stream, Toxic[]> = { upstream: [], downstream: [] };

  constructor(private readonly connections: () => Iterable<Connection>) {}

  /** The toxics of one direction, in insertion order. Do not mutate. */
  of(stream: Stream): readonly Toxic[] {
    return this.chains[stream];
  }

  /** Upstream toxics, then downstream ones. */
  list(): Toxic[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  /** The named toxic; 404 `toxic not found` otherwise. */
  get(name: string): Toxic {
    const toxic = this.find(name);
    if (!toxic) throw toxicNotFound();
    return toxic;
  }

  /** Adds a toxic from an API body (400 / 409 per the spec) and starts it on open connections. */
  add(body: JsonObject): Toxic {
    const header = parseToxicHeader(body);
    checkName(header.name, 'toxic');
    if (this.find(header.name)) throw toxicExists();
    const toxic = createToxic(header, body);
    this.chains[toxic.stream].push(toxic);
    for (const connection of this.connections()) connection.addToxic(toxic);
    return toxic;
  }

  /** Updates attributes and toxicity of a toxic; open connections restart it without data loss. */
  update(name: string, body: JsonObject): Toxic {
    const current = this.get(name);
    const next = updateToxic(current, body);
    const chain = this.chains[current.stream];
    chain[chain.indexOf(current)] = next;
    for (const connection of this.connections()) connection.updateToxic(next);
    return next;
  }

  /** Removes a toxic; open connections release what it held. */
  remove(name: string): void {
    const toxic = this.get(name);
    const chain = this.chains[toxic.stream];
    chain.splice(chain.indexOf(toxic), 1);
    for (const connection of [...this.connections()]) connection.removeToxic(toxic);
  }

  /** Removes every toxic, as `POST /reset` does. */
  clear(): void {
    for (const toxic of this.list()) this.remove(toxic.name);
  }

  private find(name: string): Toxic | undefined {
    return this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name);
  }
}
