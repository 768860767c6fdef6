import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseTestbed } from '../testbeds.js';
import { ConfigError, EnvironmentError } from '../../../../common/src/errors.js';
import { detectDocker, dockerAvailable, requireDocker } from './engine.js';
import { DockerRuntime } from './runtime.js';
import { describeDocker, testSettings } from '../../test-support/docker.js';

// Runs everywhere: these need no engine, only a socket where none answers.
const NO_SOCKET = '/nonexistent/raft-chaos/docker.sock';
const spec = { runId: 'no-engine', nodes: ['n1'], settings: testSettings(), workDir: '/tmp' };

describe('no Docker engine', () => {
  it('detectDocker says why, with the error the runtime throws', async () => {
    const found = await detectDocker({ socketPath: NO_SOCKET });
    expect(found.available).toBe(false);
    if (found.available) return;
    expect(found.error).toBeInstanceOf(EnvironmentError);
    expect(found.error.message).toMatch(
      /^no Docker engine answers at \/nonexistent\/raft-chaos\/docker\.sock; use --runtime process or start one/,
    );
    expect(found.reason).toBe(found.error.message);
    expect(await dockerAvailable({ socketPath: NO_SOCKET })).toBe(false);
  });

  it('requireDocker and the runtime throw EnvironmentError with that message', async () => {
    await expect(requireDocker({ socketPath: NO_SOCKET })).rejects.toThrow(EnvironmentError);
    const start = new DockerRuntime({ socketPath: NO_SOCKET }).start(spec);
    await expect(start).rejects.toThrow(EnvironmentError);
    await expect(start).rejects.toThrow(/no Docker engine answers at .*; use --runtime process or start one/);
  });

  it('an external --toxiproxy-url is refused before anything starts', async () => {
    const start = new DockerRuntime({ socketPath: NO_SOCKET }).start({ ...spec, toxiproxyUrl: 'http://127.0.0.1:8474' });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/--toxiproxy-url cannot be used with --runtime docker/);
  });
});

describe('DOCKER_HOST names the engine', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('a socket where none answers: the no-engine error names it, and auto falls back to processes saying why', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/raft-chaos.sock');
    const found = await detectDocker();
    expect(found.available).toBe(false);
    expect(found.reason).toMatch(
      /^no Docker engine answers at unix:\/\/\/nonexistent\/raft-chaos\.sock \(DOCKER_HOST\); use --runtime process or start one .*, or point DOCKER_HOST at one .*\[ENOENT\]$/,
    );
    await expect(requireDocker()).rejects.toThrow(/no Docker engine answers at unix:\/\/\/nonexistent\/raft-chaos\.sock \(DOCKER_HOST\)/);
    const auto = await chooseTestbed({ name: 'auto' });
    expect(auto.name).toBe('process');
    expect(auto.reason).toMatch(/no Docker engine answers at unix:\/\/\/nonexistent\/raft-chaos\.sock \(DOCKER_HOST\), so local processes/);
  });

  it('a tcp address where nothing listens (loopback): refused, named', async () => {
    vi.stubEnv('DOCKER_HOST', 'tcp://127.0.0.1:1');
    const found = await detectDocker({ timeoutMs: 1500 });
    expect(found.available).toBe(false);
    expect(found.reason).toMatch(/^no Docker engine answers at tcp:\/\/127\.0\.0\.1:1 \(DOCKER_HOST\); .*\[ECONNREFUSED\]$/);
  });

  it('an explicit socket wins over DOCKER_HOST', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///var/run/docker.sock');
    const found = await detectDocker({ socketPath: NO_SOCKET });
    expect(found.available).toBe(false);
    expect(found.where).toBe(NO_SOCKET);
  });
});

describeDocker('DOCKER_HOST with an engine', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('DOCKER_HOST=unix:///var/run/docker.sock reaches it', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///var/run/docker.sock');
    const found = await detectDocker();
    expect(found.available, found.reason).toBe(true);
    expect(found.reason).toMatch(/^Docker engine \S+ answers at unix:\/\/\/var\/run\/docker\.sock \(DOCKER_HOST\)$/);
    expect((await requireDocker()).version).toBeTruthy();
  });
});
