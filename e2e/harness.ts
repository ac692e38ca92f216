// Runs the real, built Rapport server for browser tests: a fresh data folder, a free port, and
// either an owner provisioned with `rapport create-admin` and no data (startServer) or the demo
// workspace from `rapport seed-demo` (startDemoServer). Stop it with stop(); restart() stops the
// process and starts it again on the same data folder, database and port. `env` adds or overrides
// the server's environment variables (such as WEBHOOK_ALLOW_PRIVATE_HOSTS).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabaseUrl } from '../apps/server/test/databases.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'rapport.js');

export interface Owner {
  email: string;
  password: string;
  workspace: string;
}

export interface RunningServer {
  url: string;
  owner: Owner;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
  /**
   * Stops the server process (SIGTERM) and starts it again on the same data folder, database, port
   * and Redis prefix, as an operator's restart would; `whileDown` runs while no server is listening.
   */
  restart: (whileDown?: () => Promise<void>) => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`rapport ${args[0]} exited with ${code}:\n${out}`))));
  });
}

async function waitForReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready:\n${output()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output()}`);
}

export async function startServer(owner: Owner = { email: 'owner@e2e.test', password: 'correct-horse-battery', workspace: 'E2E Support' }, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return launch(async (serverEnv) => {
    await run(['create-admin', '--email', owner.email, '--password', owner.password, '--workspace', owner.workspace], serverEnv);
    return owner;
  }, env);
}

/** The demo workspace (Northwind Cycles: teammates, teams, inboxes, conversations); its owner signs in. */
export async function startDemoServer(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return launch(async (serverEnv) => {
    const out = await run(['seed-demo'], serverEnv);
    const match = /Sign in as (\S+) with password (\S+)/.exec(out);
    if (!match) throw new Error(`rapport seed-demo printed no sign-in:\n${out}`);
    return { email: match[1], password: match[2], workspace: 'Northwind Cycles' };
  }, env);
}

async function launch(provision: (env: NodeJS.ProcessEnv) => Promise<Owner>, extraEnv: NodeJS.ProcessEnv): Promise<RunningServer> {
  for (const built of ['dist/server/cli.js', 'dist/web/index.html']) {
    if (!existsSync(join(repo, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'rapport-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RAPPORT_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    RAPPORT_SEED_DEMO: 'false',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    ...extraEnv,
  };
  // On PostgreSQL and Redis when the suite runs against them (TEST_DATABASE_URL, REDIS_URL).
  const database = await freshDatabaseUrl();
  if (database.url) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;
  if (!process.env.REDIS_URL) delete env.REDIS_URL;
  // Rate-limit counters of earlier runs on a shared Redis must not spill into this one.
  env.REDIS_PREFIX = `rapport-e2e-${port}-${Date.now()}:`;

  let owner: Owner;
  try {
    owner = await provision(env);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
    throw err;
  }

  let log = '';
  const output = () => log;
  const spawnServer = () => {
    const started = spawn(process.execPath, [bin, 'start'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    started.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    return started;
  };
  let child = spawnServer();

  const stopProcess = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const stop = async () => {
    await stopProcess();
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  };

  const restart = async (whileDown?: () => Promise<void>) => {
    await stopProcess();
    if (whileDown) await whileDown();
    log += '\n--- restart ---\n';
    child = spawnServer();
    try {
      await waitForReady(url, child, output);
    } catch (err) {
      await stop();
      throw err;
    }
  };

  try {
    await waitForReady(url, child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, owner, output, stop, restart };
}
