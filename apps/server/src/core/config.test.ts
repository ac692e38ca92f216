import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from './config.js';

describe('configuration', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000', seedDemo: true, trustProxy: [], databaseUrl: undefined });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('names the variable and what was expected when a value is wrong', () => {
    expect(() => loadConfig({ PORT: '99999' })).toThrow(new ConfigError('PORT', 'expected a port number 0-65535, got "99999"'));
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/^DATABASE_URL: expected a URL/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL: expected one of/);
  });

  it('reads lists and trims the public URL', () => {
    const c = loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8', PUBLIC_URL: 'https://help.example.com/' });
    expect(c.trustProxy).toEqual(['10.0.0.1', '10.0.0.0/8']);
    expect(c.publicUrl).toBe('https://help.example.com');
  });

  it('reads the webhook allow list of hosts, addresses and CIDRs, and names a wrong entry', () => {
    expect(loadConfig({}).webhookAllowPrivateHosts).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1, 10.0.0.0/8, Hooks.Internal, ::1' }).webhookAllowPrivateHosts).toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.internal', '::1']);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_HOSTS: 'http://hooks.internal' })).toThrow(/^WEBHOOK_ALLOW_PRIVATE_HOSTS: expected host names, IP addresses or CIDRs/);
  });

    it('documents every variable in the README table', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    for (const v of configVariables) expect(readme, `README is missing ${v.name}`).toContain(`| \`${v.name}\` |`);
  });
});
