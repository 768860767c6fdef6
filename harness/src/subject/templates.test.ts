import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { formatPeers } from './peers.js';
import { fillTemplate, templatesIn, type TemplateValues } from './templates.js';

const values: TemplateValues = {
  id: 'n1', host: '127.0.0.1', port: 4001, peers: '127.0.0.1:5002,127.0.0.1:5003', dataDir: '/tmp/run/n1',
  electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50,
};

describe('templates', () => {
  it('fills every template, several in one word, and keeps escaped braces', () => {
    expect(fillTemplate('--listen={host}:{port}', values)).toBe('--listen=127.0.0.1:4001');
    expect(fillTemplate('{electionTimeoutMin}-{electionTimeoutMax}/{heartbeatInterval}', values)).toBe('150-300/50');
    expect(fillTemplate('{id}@{dataDir} {peers}', values)).toBe('n1@/tmp/run/n1 127.0.0.1:5002,127.0.0.1:5003');
    expect(fillTemplate('{{"id": "{id}"}}', values)).toBe('{"id": "n1"}');
    expect(fillTemplate('plain', values)).toBe('plain');
  });

  it('lists the templates a text uses', () => {
    expect(templatesIn('{{x}} {port} {id}-{port}', 'w')).toEqual(['port', 'id', 'port']);
    expect(templatesIn('none', 'w')).toEqual([]);
  });

  it('refuses an unknown template with the near miss, and a lone brace', () => {
    expect(() => templatesIn('--data={datadir}', 'launch.command[1]')).toThrow(ConfigError);
    expect(() => templatesIn('--data={datadir}', 'launch.command[1]')).toThrow(/^launch\.command\[1\]: \{datadir\} is not a template \(did you mean "dataDir"\?\); the templates are \{id\}/);
    expect(() => templatesIn('{nodes}', 'w')).toThrow(/\{nodes\} is not a template; the templates are/);
    expect(() => templatesIn('a{b', 'w')).toThrow(/a lone brace in "a\{b"/);
    expect(() => templatesIn('a}b', 'w')).toThrow(/a lone brace/);
  });
});

describe('formatPeers', () => {
  const peers = [{ id: 'n2', host: '127.0.0.1', port: 5002 }, { id: 'n3', host: '::1', port: 5003 }];
  it.each([
    ['host:port', '127.0.0.1:5002,[::1]:5003'],
    ['id=host:port', 'n2=127.0.0.1:5002,n3=[::1]:5003'],
    ['id=http://host:port', 'n2=http://127.0.0.1:5002,n3=http://[::1]:5003'],
  ] as const)('writes %s', (format, text) => {
    expect(formatPeers(peers, format)).toBe(text);
  });
  it('writes no peers as an empty string', () => {
    expect(formatPeers([], 'host:port')).toBe('');
  });
});
