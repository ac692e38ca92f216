/** What the running server hands to every feature: configuration, database, shared limiters. */
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import type { Database } from './db/index.js';
import { createLimiter, type Limiter } from './rate-limit.js';
import type { SecretBox } from './crypto-box.js';
import type { Bus } from './bus.js';
import type { Outbox } from './outbox.js';
import type { Jobs } from './jobs.js';

export interface AppContext {
  config: Config;
  db: Database;
  redis: Redis | undefined;
  box: SecretBox;
  bus: Bus;
  outbox: Outbox;
  jobs: Jobs;
  /** Tells this node's channel workers (the IMAP fetcher) that an inbox was created or changed. */
  inboxChanged?: (accountId: string, inboxId: string) => void;
  /**
   * Asks this node's routing sweeper to route a workspace's waiting queue soon: its routing settings
   * changed, or a conversation was handed to the team outside any event routing reacts to.
   */
  routeSoon?: (accountId: string) => void;
  limiters: {
    loginPerIp: Limiter;
    loginFailuresPerEmail: Limiter;
    passwordResetPerEmail: Limiter;
    passwordResetPerIp: Limiter;
    publicTokenLookupPerIp: Limiter;
    widgetSessionsPerIp: Limiter;
    widgetMessagesPerVisitor: Limiter;
    widgetBadTokensPerIp: Limiter;
    widgetEmailPerVisitor: Limiter;
    widgetUploadsPerVisitor: Limiter;
    uploadsPerUser: Limiter;
    newEmailConversationsPerSender: Limiter;
    connectionTestsPerUser: Limiter;
    formsPerIp: Limiter;
    formsPerAddress: Limiter;
    formsPerInbox: Limiter;
    formConfirmationsPerWorkspace: Limiter;
  };
}

export function createLimiters(config: Config, redis?: Redis): AppContext['limiters'] {
  // REDIS_PREFIX keeps installations (or test runs) that share one Redis apart.
  const namespace = `${config.redisPrefix}rl:`;
  const quarterHour = 15 * 60;
  return {
    loginPerIp: createLimiter(`${namespace}login-ip`, config.loginMaxPerIp, quarterHour, redis),
    loginFailuresPerEmail: createLimiter(`${namespace}login-email`, config.loginMaxFailuresPerAccount, quarterHour, redis),
    passwordResetPerEmail: createLimiter(`${namespace}reset-email`, 3, 3600, redis),
    passwordResetPerIp: createLimiter(`${namespace}reset-ip`, 20, 3600, redis),
    publicTokenLookupPerIp: createLimiter(`${namespace}token-lookup-ip`, 60, quarterHour, redis),
    widgetSessionsPerIp: createLimiter(`${namespace}widget-session-ip`, 60, 60, redis),
    widgetMessagesPerVisitor: createLimiter(`${namespace}widget-message`, 20, 30, redis),
    widgetBadTokensPerIp: createLimiter(`${namespace}widget-bad-token-ip`, 30, 300, redis),
    widgetUploadsPerVisitor: createLimiter(`${namespace}widget-upload`, 10, 60, redis),
    uploadsPerUser: createLimiter(`${namespace}upload-user`, 60, 60, redis),
    widgetEmailPerVisitor: createLimiter(`${namespace}widget-email`, 10, 600, redis),
    // Scripted mail from one sender (or forged in victims' names) opens at most this many conversations an hour.
    newEmailConversationsPerSender: createLimiter(`${namespace}email-new-sender`, 10, 3600, redis),
    connectionTestsPerUser: createLimiter(`${namespace}connection-test`, 20, 300, redis),
    // Contact forms: a person sends a few; a script aiming confirmations at victims is stopped here.
    formsPerIp: createLimiter(`${namespace}form-ip`, 10, 3600, redis),
    formsPerAddress: createLimiter(`${namespace}form-address`, 5, 3600, redis),
    // …and a script spread over many addresses and IPs by these: a form takes at most this many an
    // hour, and a workspace sends at most this many confirmations (auto-replies to unverified addresses).
    formsPerInbox: createLimiter(`${namespace}form-inbox`, 300, 3600, redis),
    formConfirmationsPerWorkspace: createLimiter(`${namespace}form-confirmation`, 100, 3600, redis),
  };
}

/** Connects to REDIS_URL, failing with one clear line when it cannot be reached. */
export async function connectRedis(url: string): Promise<Redis> {
  // A command that gets no answer (a network partition) fails after a second, so rate limits fall
  // back to counting in memory instead of holding sign-ins and chat messages.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, commandTimeout: 1000, enableOfflineQueue: true });
  redis.on('error', () => {
    /* reconnects by itself; commands report failures to their callers */
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const u = new URL(url);
    throw new ConfigError('REDIS_URL', `cannot connect to Redis at ${u.hostname}:${u.port || 6379}: ${(err as Error).message}`);
  }
  return redis;
}
