/** Boots the product: database, migrations, first-start demo seed, HTTP server, graceful shutdown. */
import type { Redis } from 'ioredis';
import { build } from './app.js';
import { loadConfig, resolveSecretKey, type Config } from './core/config.js';
import { connectRedis, createLimiters, type AppContext } from './core/context.js';
import { secretBox } from './core/crypto-box.js';
import { openDatabase, withPlugin, type DatabaseHandle } from './core/db/index.js';
import { exclusively, migrate } from './core/db/migrate.js';
import { TenantGuardPlugin } from './core/db/tenant.js';
import { seedDemo } from './features/demo/seed-demo.js';
import { inProcessBus, redisBus, type Bus } from './core/bus.js';
import { createOutbox } from './core/outbox.js';
import { createJobs } from './core/jobs.js';
import { wakeSnoozed } from './features/conversations/commands/wake-snoozed.js';
import { startChannelWorkers, type ChannelWorkers } from './features/channels/workers.js';
import { startReactions, type Reactions } from './core/reactions.js';
import { REACTORS } from './features/reactors.js';
import { startAutomationTimers, type AutomationTimers } from './features/automation/time-triggers.js';
import { startSlaTimers, type SlaTimers } from './features/sla/sla.jobs.js';
import { startAnswerBotWorker } from './features/answer-bot/answer-bot.jobs.js';
import { startRoutingSweeper, type RoutingSweeper } from './features/routing/routing.sweeper.js';
import { startStatistics } from './core/db/statistics.js';
import type { Sweeper } from './core/sweeper.js';

export interface Runtime {
  ctx: AppContext;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens everything the server needs; on failure, closes what it opened and rethrows. */
export async function openRuntime(config: Config = loadConfig()): Promise<Runtime> {
  const secretKey = resolveSecretKey(config);
  let redis: Redis | undefined;
  if (config.redisUrl) redis = await connectRedis(config.redisUrl);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(config);
  } catch (err) {
    redis?.disconnect();
    throw err;
  }
  const db = withPlugin(handle.db, new TenantGuardPlugin());
  let bus: Bus;
  try {
    bus = config.redisUrl ? await redisBus(config.redisUrl, config.redisPrefix) : inProcessBus();
  } catch (err) {
    await handle.close();
    redis?.disconnect();
    throw err;
  }
  const ctx: AppContext = {
    config,
    db,
    redis,
    box: secretBox(secretKey),
    bus,
    outbox: createOutbox(db, bus),
    jobs: createJobs(db),
    limiters: createLimiters(config, redis),
  };
  return {
    ctx,
    handle,
    async close() {
      ctx.outbox.stop();
      await ctx.jobs.stop();
      await bus.close();
      await handle.close();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

export async function startServer(config: Config = loadConfig()): Promise<void> {
  const started = performance.now();
  const runtime = await openRuntime(config);
  const { ctx } = runtime;
  let app: Awaited<ReturnType<typeof build>> | undefined;
  let snoozeTimer: NodeJS.Timeout | undefined;
  let workers: ChannelWorkers | undefined;
  let reactions: Reactions | undefined;
  let automationTimers: AutomationTimers | undefined;
  let slaTimers: SlaTimers | undefined;
  let routing: RoutingSweeper | undefined;
  let statistics: Sweeper | undefined;
  try {
    const applied = await migrate(ctx.db);
    app = await build(ctx);
    if (applied.length) app.log.info({ migrations: applied }, 'applied migrations');
    if (config.seedDemo) {
      const empty = !(await ctx.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst());
      if (empty) {
        const demo = await seedDemo(ctx.db, { box: ctx.box, publicUrl: ctx.config.publicUrl });
        printBanner(config, demo);
      }
    }
    // Everything is running before the port opens: once /readyz answers, the process is whole
    // (and a SIGTERM from then on finds its handler installed).
    await exclusively(ctx.db, runtime.handle.engine, () => ctx.jobs.start());
    workers = await startChannelWorkers(ctx, app.log);
    reactions = startReactions(ctx, app.log, REACTORS);
    automationTimers = startAutomationTimers(ctx, app.log);
    slaTimers = await startSlaTimers(ctx, app.log);
    routing = startRoutingSweeper(ctx, app.log);
    statistics = startStatistics(runtime.handle.db, runtime.handle.engine, {
      onError: (err) => app?.log.warn({ err }, 'updating the embedded database statistics failed; trying again later'),
    });
    await startAnswerBotWorker(ctx, app.log);
    await app.listen({ port: config.port, host: config.host });
    ctx.outbox.startSweeping();
    snoozeTimer = setInterval(() => {
      wakeSnoozed(ctx.db)
        .then((woken) => (woken ? ctx.outbox.flush() : 0))
        .catch((err: unknown) => app?.log.warn({ err }, 'waking snoozed conversations failed; trying again shortly'));
    }, 30_000);
    snoozeTimer.unref();
  } catch (err) {
    routing?.stop();
    await statistics?.stop().catch(() => {});
    await automationTimers?.stop().catch(() => {});
    await slaTimers?.stop().catch(() => {});
    await reactions?.stop().catch(() => {});
    await workers?.stop().catch(() => {});
    await app?.close().catch(() => {});
    await runtime.close().catch(() => {});
    throw err;
  }
  const readyMs = Math.round(performance.now() - started);
  app.log.info({ url: config.publicUrl, engine: runtime.handle.engine, ready_ms: readyMs, rss_mb: Math.round(process.memoryUsage().rss / 1048576) }, `Rapport is ready on ${config.publicUrl}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app!.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app!.log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    clearInterval(snoozeTimer);
    // Keep-alive connections that fall idle once their last response is sent are closed too.
    const sweep = setInterval(() => app!.server.closeIdleConnections(), 100);
    try {
      await app!.close();
      clearInterval(sweep);
      routing?.stop();
      await statistics?.stop();
      await automationTimers?.stop();
      await slaTimers?.stop();
      await reactions?.stop();
      await workers?.stop();
      await runtime.close();
      process.exit(0);
    } catch (err) {
      app!.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function printBanner(config: Config, demo: { email: string; password: string }): void {
  const lines = [
    'A demo workspace "Northwind Cycles" was created. Sign in as its owner:',
    `  URL:      ${config.publicUrl}`,
    `  Email:    ${demo.email}`,
    `  Password: ${demo.password}`,
    'This password is shown only this once; change it in Settings → Profile.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  process.stdout.write(`\n┌${'─'.repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join('\n')}\n└${'─'.repeat(width)}┘\n\n`);
}
