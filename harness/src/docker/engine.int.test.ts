import { describe, expect, it } from 'vitest';
import { ConfigError, EnvironmentError } from '../../../common/src/errors.js';
import { detectDocker, dockerAvailable, requireDocker } from './engine.js';
import { DockerRuntime } from './runtime.js';
import { testSettings } from './test-support.js';

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
