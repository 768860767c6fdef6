import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { watchConnects } from './connect-watch.js';

/** An engine whose network `net` lists `endpoints` and whose event stream the test writes to. */
function fakeEngine(endpoints: Record<string, { Name: string; IPv4Address: string }>) {
  const events = new PassThrough();
  const docker = {
    getEvents: async () => events,
    getNetwork: () => ({ inspect: async () => ({ Containers: endpoints }) }),
  } as unknown as Docker;
  return { docker, events };
}

/** A started container whose own inspect gives `ip` on `net`. */
const startedAt = (ip: string) => ({
  container: { inspect: async () => ({ Name: '/x', NetworkSettings: { Networks: { net: { IPAddress: ip } } } }) } as unknown as Docker.Container,
});

describe('watchConnects', () => {
  it('gives the address from the connect event, before the start has finished', async () => {
    const { docker, events } = fakeEngine({ id1: { Name: 'run-toxiproxy', IPv4Address: '172.20.0.2/16' } });
    const watch = await watchConnects(docker, 'net');
    const address = watch.address('run-toxiproxy', new Promise(() => {}));
    events.write('{"Type":"network","Action":"connect"}\n');
    await expect(address).resolves.toBe('172.20.0.2');
    watch.close();
  });

  it('falls back to inspecting the started container when no event names it', async () => {
    const { docker } = fakeEngine({});
    const watch = await watchConnects(docker, 'net');
    await expect(watch.address('run-n1', Promise.resolve(startedAt('172.20.0.3')))).resolves.toBe('172.20.0.3');
    watch.close();
  });

  it('rejects with the start failure when the container never connects', async () => {
    const { docker } = fakeEngine({});
    const watch = await watchConnects(docker, 'net');
    await expect(watch.address('run-n1', Promise.reject(new Error('port clash')))).rejects.toThrow('port clash');
    watch.close();
  });
});
