import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvironmentError } from '../../../../common/src/errors.js';
import { DEFAULT_DOCKER_SOCKET, engineAddress } from './engine-address.js';
import { detectDocker, dockerClient, noEngineMessage } from './engine.js';

/** What dockerode's modem will dial (it contacts nothing when made). */
function dialled(socketPath?: string): { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown } {
  const { modem } = dockerClient(socketPath === undefined ? {} : { socketPath }) as unknown as {
    modem: { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  };
  return { socketPath: modem.socketPath, host: modem.host, port: modem.port, protocol: modem.protocol };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('engineAddress: which engine', () => {
  it('no DOCKER_HOST: /var/run/docker.sock', () => {
    expect(engineAddress(undefined, {})).toMatchObject({ where: DEFAULT_DOCKER_SOCKET, source: 'default' });
    expect(engineAddress(undefined, { DOCKER_HOST: '  ' }).source).toBe('default');
    vi.stubEnv('DOCKER_HOST', '');
    expect(dialled()).toMatchObject({ socketPath: DEFAULT_DOCKER_SOCKET, host: undefined, protocol: 'http' });
  });

  it('DOCKER_HOST=unix:///path: that socket, named with its source', () => {
    const a = engineAddress(undefined, { DOCKER_HOST: 'unix:///run/other.sock' });
    expect(a).toMatchObject({ where: 'unix:///run/other.sock (DOCKER_HOST)', source: 'DOCKER_HOST' });
    expect(a.dockerOptions.socketPath).toBe('/run/other.sock');
    expect(engineAddress(undefined, { DOCKER_HOST: 'unix://' }).dockerOptions.socketPath).toBe(DEFAULT_DOCKER_SOCKET);
    vi.stubEnv('DOCKER_HOST', 'unix:///run/other.sock');
    expect(dialled()).toMatchObject({ socketPath: '/run/other.sock', host: undefined });
  });

  it('DOCKER_HOST=tcp://host:port: dockerode dials that host and port', () => {
    expect(engineAddress(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toMatchObject({
      where: 'tcp://127.0.0.1:2375 (DOCKER_HOST)',
      source: 'DOCKER_HOST',
    });
    vi.stubEnv('DOCKER_HOST', 'tcp://127.0.0.1:2375');
    vi.stubEnv('DOCKER_TLS_VERIFY', '');
    expect(dialled()).toMatchObject({ socketPath: undefined, host: '127.0.0.1', port: '2375', protocol: 'http' });
    vi.stubEnv('DOCKER_HOST', '127.0.0.1:2376'); // no scheme: tcp; 2376 is Docker's TLS port
    expect(dialled()).toMatchObject({ socketPath: undefined, host: '127.0.0.1', port: '2376', protocol: 'https' });
  });

  it('an explicit socket (--socket) wins over DOCKER_HOST, tcp and TLS settings included', () => {
    expect(engineAddress('/my/docker.sock', { DOCKER_HOST: 'tcp://127.0.0.1:2376' })).toMatchObject({
      where: '/my/docker.sock',
      source: 'option',
    });
    vi.stubEnv('DOCKER_HOST', 'tcp://127.0.0.1:2376');
    vi.stubEnv('DOCKER_TLS_VERIFY', '1');
    expect(dialled('/my/docker.sock')).toMatchObject({ socketPath: '/my/docker.sock', host: undefined, port: undefined, protocol: 'http' });
  });

  it('a DOCKER_HOST that is no address is an EnvironmentError saying how to fix it', () => {
    expect(() => engineAddress(undefined, { DOCKER_HOST: 'tcp://:2375' })).toThrow(EnvironmentError);
    expect(() => engineAddress(undefined, { DOCKER_HOST: 'tcp://[oops' })).toThrow(
      /DOCKER_HOST=tcp:\/\/\[oops is not a Docker engine address: set it to unix:\/\/\/path\/to\/docker\.sock or tcp:\/\/host:port/,
    );
  });

  it('detectDocker never throws on a bad DOCKER_HOST: it says why', async () => {
    vi.stubEnv('DOCKER_HOST', 'tcp://[oops');
    const found = await detectDocker();
    expect(found.available).toBe(false);
    expect(found.where).toBe('tcp://[oops (DOCKER_HOST)');
    expect(found.reason).toMatch(/is not a Docker engine address/);
  });

  it('the no-engine message names the address and, for DOCKER_HOST, what to do about it', () => {
    expect(noEngineMessage('/var/run/docker.sock', 'ENOENT')).toBe(
      'no Docker engine answers at /var/run/docker.sock; use --runtime process or start one (e.g. `bash .ci/docker.sh`) [ENOENT]',
    );
    expect(noEngineMessage('unix:///nonexistent.sock (DOCKER_HOST)')).toMatch(
      /^no Docker engine answers at unix:\/\/\/nonexistent\.sock \(DOCKER_HOST\); use --runtime process or start one .*, or point DOCKER_HOST at one/,
    );
  });
});
