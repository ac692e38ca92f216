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

  it('takes the notification mailer as both variables or neither, with a plain sender address', () => {
    expect(loadConfig({})).toMatchObject({ notificationsSmtpUrl: undefined, notificationsFrom: undefined, notificationsEmailBatchSeconds: 120 });
    expect(loadConfig({ NOTIFICATIONS_SMTP_URL: 'smtps://u:p@mail.example.com:465', NOTIFICATIONS_FROM: 'Rapport@Example.com' })).toMatchObject({ notificationsSmtpUrl: 'smtps://u:p@mail.example.com:465', notificationsFrom: 'rapport@example.com' });
    expect(() => loadConfig({ NOTIFICATIONS_SMTP_URL: 'smtp://mail.example.com' })).toThrow(/^NOTIFICATIONS_FROM: set the sender address/);
    expect(() => loadConfig({ NOTIFICATIONS_FROM: 'rapport@example.com' })).toThrow(/^NOTIFICATIONS_SMTP_URL: /);
    expect(() => loadConfig({ NOTIFICATIONS_SMTP_URL: 'https://mail.example.com', NOTIFICATIONS_FROM: 'rapport@example.com' })).toThrow(/^NOTIFICATIONS_SMTP_URL: expected a smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => loadConfig({ NOTIFICATIONS_SMTP_URL: 'smtp://mail.example.com', NOTIFICATIONS_FROM: 'Rapport <rapport@example.com>\r\nBcc: x@y.z' })).toThrow(/^NOTIFICATIONS_FROM: expected a plain address/);
  });

    it('documents every variable in the README table', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    for (const v of configVariables) expect(readme, `README is missing ${v.name}`).toContain(`| \`${v.name}\` |`);
  });
});
