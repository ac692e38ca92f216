/**
 * The rapport command: start | migrate | create-admin | create-token | seed-demo | kb import | kb export.
 * Every failure a person can fix ends in one clear line and a non-zero exit.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from './core/config.js';
import { DataDirInUseError } from './core/db/index.js';
import { migrate } from './core/db/migrate.js';
import { AppError } from './core/errors.js';
import { PASSWORD_MIN } from './core/auth/secrets.js';
import { unscoped } from './core/db/tenant.js';
import { createWorkspace } from './features/accounts/commands/create-workspace.js';
import { createApiToken } from './features/accounts/commands/create-api-token.js';
import { seedDemo } from './features/demo/seed-demo.js';
import { exportFiles, importFiles } from './features/kb/import-export.js';
import { readMarkdownFolder, writeMarkdownFolder } from './features/kb/import-export.files.js';
import { openRuntime, startServer } from './server.js';
import type { Role } from './core/db/schema.js';

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Takes words after the command (`rapport kb import ./articles`). */
  positionals?: boolean;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const required = (values: Record<string, unknown>, name: string): string => {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v.trim();
};

/** Runs fn with the database open and migrated; never while a server holds the embedded database. */
async function withDatabase<T>(fn: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(loadConfig());
  try {
    await migrate(runtime.ctx.db);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

const commands: Record<string, Command> = {
  start: {
    summary: 'Run migrations and serve the API and agent app (seeds a demo workspace on the first start)',
    usage: 'rapport start',
    options: {},
    run: async () => startServer(),
  },
  migrate: {
    summary: 'Apply pending database migrations and exit',
    usage: 'rapport migrate',
    options: {},
    run: async () => {
      const runtime = await openRuntime(loadConfig());
      try {
        const applied = await migrate(runtime.ctx.db);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await runtime.close();
      }
    },
  },
  'create-admin': {
    summary: 'Create a workspace and its owner, non-interactively',
    usage: 'rapport create-admin --email E --password P --workspace W [--name N]',
    options: { email: { type: 'string' }, password: { type: 'string' }, workspace: { type: 'string' }, name: { type: 'string' } },
    run: async (values) => {
      const email = required(values, 'email');
      const password = required(values, 'password');
      const workspace = required(values, 'workspace');
      if (!emailPattern.test(email)) throw new UsageError(`--email: "${email}" is not an email address`);
      if (password.length < PASSWORD_MIN) throw new UsageError(`--password must be at least ${PASSWORD_MIN} characters`);
      const name = typeof values.name === 'string' && values.name.trim() ? values.name.trim() : email.split('@')[0];
      await withDatabase(async ({ ctx }) => {
        const { accountId, userId } = await createWorkspace(ctx.db, { name: workspace, owner: { email, name, password } });
        console.log(`Created workspace "${workspace}" (${accountId}) with owner ${email} (${userId}).`);
      });
    },
  },
  'create-token': {
    summary: "Print a new API token for a user, with that user's role (for provisioning scripts)",
    usage: 'rapport create-token --email E --name N [--workspace W]',
    options: { email: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string' } },
    run: async (values) => {
      const email = required(values, 'email').toLowerCase();
      const name = required(values, 'name');
      await withDatabase(async ({ ctx }) => {
        const user = await ctx.db.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', email).executeTakeFirst();
        if (!user) throw new UsageError(`no user with the email ${email}`);
        // Which workspaces this user belongs to: a lookup across workspaces by design.
        let q = unscoped(ctx.db).selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').select(['m.account_id', 'm.role', 'a.name']).where('m.user_id', '=', user.id);
        const wanted = typeof values.workspace === 'string' ? values.workspace : undefined;
        if (wanted) q = q.where((eb) => eb.or([eb('a.name', '=', wanted), eb(eb.cast('m.account_id', 'text'), '=', wanted)]));
        const memberships = await q.execute();
        if (memberships.length === 0) throw new UsageError(wanted ? `${email} is not a member of a workspace "${wanted}"` : `${email} is not a member of any workspace`);
        if (memberships.length > 1) throw new UsageError(`${email} belongs to several workspaces; pick one with --workspace (${memberships.map((m) => m.name).join(', ')})`);
        const m = memberships[0];
        const { token } = await createApiToken(ctx.db, { accountId: m.account_id, userId: user.id, actorRole: m.role as Role, name, role: m.role as Role });
        console.log(token);
      });
    },
  },
  'seed-demo': {
    summary: 'Add the demo workspace (Northwind Cycles) and print its owner sign-in',
    usage: 'rapport seed-demo',
    options: {},
    run: async () => {
      await withDatabase(async ({ ctx }) => {
        const exists = await ctx.db.selectFrom('users').select('id').where('email', '=', 'owner@example.com').executeTakeFirst();
        if (exists) throw new UsageError('the demo workspace already exists (owner@example.com)');
        const demo = await seedDemo(ctx.db, { box: ctx.box, publicUrl: ctx.config.publicUrl });
        console.log(`Demo workspace created. Sign in as ${demo.email} with password ${demo.password}`);
      });
    },
  },
  kb: {
    summary: 'Import a folder of Markdown articles into a workspace, or export its articles to one (see README, Knowledge base)',
    usage: 'rapport kb import <dir> --workspace W | rapport kb export <dir> [--workspace W]',
    options: { workspace: { type: 'string' } },
    positionals: true,
    run: async (values, positionals) => {
      const [action, dir, ...extra] = positionals;
      if ((action !== 'import' && action !== 'export') || !dir || extra.length) throw new UsageError('say import or export, and one folder: rapport kb import ./articles --workspace W');
      const wanted = typeof values.workspace === 'string' ? values.workspace.trim() : undefined;
      if (action === 'import' && !wanted) throw new UsageError('--workspace is required for an import (a workspace id or name)');
      await withDatabase(async ({ ctx }) => {
        // Which workspace the name or id means: a lookup across workspaces by design (the operator may name any).
        let q = unscoped(ctx.db).selectFrom('accounts').select(['id', 'name']);
        if (wanted) q = q.where((eb) => eb.or([eb('name', '=', wanted), eb(eb.cast('id', 'text'), '=', wanted)]));
        const accounts = await q.limit(10).execute();
        if (accounts.length === 0) throw new UsageError(wanted ? `no workspace "${wanted}"` : 'there is no workspace yet');
        if (accounts.length > 1) throw new UsageError(`several workspaces match; pick one with --workspace (${accounts.map((a) => `${a.name} ${a.id}`).join(', ')})`);
        const account = accounts[0]!;
        if (action === 'import') {
          const files = await readMarkdownFolder(dir);
          const report = await importFiles(ctx.db, account.id, null, files);
          for (const f of report.files) if (f.error) console.error(f.error);
          console.log(`Imported ${files.length} file(s) into "${account.name}": ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed.`);
          if (report.failed) process.exitCode = 1;
        } else {
          const files = await exportFiles(ctx.db, account.id);
          await writeMarkdownFolder(dir, files);
          console.log(`Exported ${files.length} file(s) of "${account.name}" to ${dir}.`);
        }
      });
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: rapport <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `rapport <command> --help` for its options. Configuration comes from environment variables (see README).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`rapport: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: !!command.positionals });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (err) {
    console.error(`rapport ${name}: ${(err as Error).message}\nUsage: ${command.usage}`);
    return 2;
  }
  await command.run(values, positionals);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`rapport ${process.argv[2]}: ${err.message}`);
    else if (err instanceof ConfigError || err instanceof DataDirInUseError) console.error(`rapport: ${err.message}`);
    else if (err instanceof AppError) console.error(`rapport ${process.argv[2]}: ${err.message}`);
    else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`rapport: PORT: port ${loadConfig().port} is already in use; stop the other program or set PORT to a free port`);
    else if ((err as NodeJS.ErrnoException).code === 'EACCES') console.error(`rapport: PORT/HOST: permission denied to listen there (${(err as Error).message})`);
    else {
      console.error(`rapport: ${(err as Error).message ?? String(err)}`);
      if (process.env.LOG_LEVEL === 'debug') console.error(err);
    }
    process.exit(1);
  },
);
