/**
 * A private Dovecot IMAP server (Debian's dovecot-imapd) per test file, so the email channel is
 * tested against a real server: its own temp directory, a free port on 127.0.0.1, plaintext logins
 * from a passwd-file, and maildirs owned by the system user `mail`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const PORT_ATTEMPTS = 3;

export interface MailUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  users: MailUser[];
  /** Puts a raw RFC 5322 message into a user's mailbox (INBOX unless named) by IMAP APPEND as that user. */
  deliver(user: string, raw: string | Buffer, mailbox?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDovecot(opts: { users?: MailUser[] } = {}): Promise<Dovecot> {
  const users = opts.users ?? [{ user: 'support@shop.example', password: 'mailbox-password' }];
  for (const { user, password } of users) {
    // passwd-file fields are split on ':', and the user name is also the name of its home directory.
    if (!user || /[:/\s]/.test(user) || /[:\r\n]/.test(password)) throw new Error(`startDovecot: unusable user or password for ${JSON.stringify(user)}`);
  }
  if (!fs.existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: apt-get install dovecot-imapd`);
  if (process.getuid?.() !== 0) throw new Error('startDovecot needs root: dovecot switches to the users dovecot, dovenull and mail');
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(users);
    } catch (err) {
      // Another process can take the port between freePort() letting go of it and dovecot binding it.
      if (attempt < PORT_ATTEMPTS && String(err).includes('Address already in use')) continue;
      throw err;
    }
  }
}

async function launch(users: MailUser[]): Promise<Dovecot> {
  const mail = systemUser('mail');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-dovecot-'));
  // mkdtemp makes it 0700, but the auth, login and mail processes run as other users and must get in.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'run'));
  fs.mkdirSync(path.join(dir, 'state'));
  fs.mkdirSync(path.join(dir, 'mail'));
  // Dovecot creates each home and maildir below this, as the user the passwd-file names.
  fs.chownSync(path.join(dir, 'mail'), mail.uid, mail.gid);
  const passwd = users.map((u) => `${u.user}:{PLAIN}${u.password}:${mail.uid}:${mail.gid}::${path.join(dir, 'mail', u.user)}::\n`).join('');
  fs.writeFileSync(path.join(dir, 'users'), passwd, { mode: 0o644 });
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, dovecotConf(dir, port, mail.uid));

  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Errors from before logging starts (a bad config) go to stderr; the rest to dovecot.log.
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  let running = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (err) => {
      output += `${err.message}\n`;
      resolve();
    });
  }).then(() => {
    running = false;
  });
  const logFile = path.join(dir, 'dovecot.log');
  const log = () => output + (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  // A test run that ends without stop() (a crash, a missing afterAll) must not leave dovecot running:
  // the master gets SIGTERM on exit, and on the SIGTERM with which vitest ends its workers, which
  // skips 'exit' (the signal is then raised again, so the worker still ends). The master takes its
  // own processes down; the temp dir stays, with the log in it.
  const onExit = () => child.kill('SIGTERM');
  const onSigterm = () => {
    onExit();
    process.kill(process.pid, 'SIGTERM');
  };
  process.on('exit', onExit);
  process.once('SIGTERM', onSigterm);

  async function stop() {
    process.off('exit', onExit);
    process.off('SIGTERM', onSigterm);
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await greets(port))) {
      if (!running) throw new Error(`dovecot exited before it was ready:\n${log()}`);
      if (Date.now() > deadline) throw new Error(`dovecot did not greet on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms:\n${log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    host: '127.0.0.1',
    port,
    users,
    async deliver(user, raw, mailbox = 'INBOX') {
      const account = users.find((u) => u.user === user);
      if (!account) throw new Error(`deliver: no user ${user} on this dovecot`);
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: account.password }, logger: false });
      try {
        await client.connect();
        try {
          if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox);
          if (!(await client.append(mailbox, raw))) throw new Error('APPEND was not sent');
        } finally {
          await client.logout();
        }
      } catch (err) {
        // imapflow's message is just "Command failed"; what the server said is in responseText.
        const reason = (err as { responseText?: string }).responseText ?? (err as Error).message;
        throw new Error(`deliver to ${user}, ${mailbox}: ${reason}\n${log()}`, { cause: err });
      }
    },
    stop,
  };
}

/**
 * The whole configuration (no includes from /etc/dovecot), for Dovecot 2.3 as in Debian 12; 2.4
 * renames several of these settings.
 */
function dovecotConf(dir: string, port: number, mailUid: number): string {
  return `# Written by apps/server/test/support/dovecot.ts for one test file.
# Sockets, pid file and state here, not in /run/dovecot or /var/lib/dovecot.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
# ps shows its processes as dovecot-rapport-test/auth etc.
instance_name = rapport-test
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# The log then says why a login failed.
auth_verbose = yes
# A wrong password is answered within about 0.5 s instead of 2 s.
auth_failure_delay = 0
# Dovecot refuses to run mail processes as root; these are the users Debian's package creates.
default_internal_user = dovecot
default_login_user = dovenull
# The mail user's uid is below the default 500 ("Mail access for users with UID 8 not permitted").
first_valid_uid = ${mailUid}
mail_location = maildir:~/Maildir
# A client in IDLE hears of new mail within a second (the default looks every 30 s where inotify
# does not tell it sooner).
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
}
# No per-IP auth penalty: after one failed login it would delay every later login from 127.0.0.1 by
# 2-15 s. With the socket missing, auth skips it at once (mode = 0 makes auth retry it for 5 s).
service anvil {
  unix_listener anvil-auth-penalty {
    path = anvil-auth-penalty-disabled
  }
}
`;
}

/** uid and gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`There is no user ${name} in /etc/passwd`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Whether the port answers with an IMAP greeting. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let first = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('data', (d: Buffer) => {
      first += d;
      if (first.includes('\r\n')) done(first.startsWith('* OK'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
