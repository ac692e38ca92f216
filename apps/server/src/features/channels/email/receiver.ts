/**
 * The built-in SMTP receiver, for setups that forward mail to Rapport instead of letting it fetch
 * by IMAP: each email inbox has a forwarding address with a generated part
 * (`inbox-…@EMAIL_FORWARD_DOMAIN`), so nobody can route mail into a workspace by naming an
 * address they do not own. Unknown recipients are refused during the SMTP dialogue; a message is
 * answered 250 only once it is stored, and a failure to store it is a temporary 451, so the
 * sending server keeps it and tries again.
 */
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../../core/context.js';
import { unscoped } from '../../../core/db/tenant.js';
import { ingestEmail, type EmailInbox } from './ingest.js';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startSmtpReceiver(ctx: AppContext, log: FastifyBaseLogger, listen: { port: number; host: string } = { port: ctx.config.smtpReceiverPort ?? 2525, host: ctx.config.smtpReceiverHost }): Promise<SmtpReceiver> {
  const domain = ctx.config.emailForwardDomain;
  const keyOf = (address: string) => {
    const [local, host] = address.toLowerCase().split('@');
    return host === domain && /^inbox-[0-9a-f]{24}$/.test(local ?? '') ? local : null;
  };
  // The forwarding address names its workspace by its generated part: a lookup across workspaces by design.
  const inboxOf = (key: string): Promise<EmailInbox | undefined> =>
    unscoped(ctx.db).selectFrom('inboxes').select(['id', 'account_id', 'email_address']).where('forward_key', '=', key).where('channel', '=', 'email').executeTakeFirst();
  const server = new SMTPServer({
    name: domain,
    banner: 'Rapport',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: ctx.config.emailMaxBytes,
    maxClients: 100,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      const unknown = () => callback(smtpError(550, `5.1.1 No mailbox here by the name ${address.address}`));
      const key = keyOf(address.address);
      if (!key) return unknown();
      inboxOf(key).then(
        (inbox) => (inbox ? callback() : unknown()),
        () => callback(smtpError(451, '4.3.0 Temporary failure; try again later')),
      );
    },
    onData(stream, session, callback) {
      readAll(stream).then(
        async (raw) => {
          if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 The message is larger than ${Math.round(ctx.config.emailMaxBytes / 1048576)} MB`));
          try {
            // The recipients of this message only (a connection may carry several messages).
            const keys = [...new Set(session.envelope.rcptTo.map((r) => keyOf(r.address)).filter((k): k is string => k !== null))];
            for (const key of keys) {
              const inbox = await inboxOf(key);
              if (inbox) await ingestEmail(ctx, inbox, raw);
            }
            callback();
          } catch (err) {
            log.warn({ err }, 'email: a received message could not be stored; the sender will retry');
            callback(smtpError(451, '4.3.0 The message could not be stored; try again later'));
          }
        },
        () => callback(smtpError(451, '4.3.0 Temporary failure; try again later')),
      );
    },
  });
  server.on('error', (err) => log.warn({ err }, 'email: SMTP receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : listen.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
