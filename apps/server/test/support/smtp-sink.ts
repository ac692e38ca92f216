/** An outgoing SMTP server for tests: it signs in smtp-user / smtp-password, keeps what it is given (raw and parsed), and can be told to refuse a recipient. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export async function startSink() {
  const received: ParsedMail[] = [];
  const raw: string[] = [];
  let refuseRcpt: string | null = null;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'smtp-user' && auth.password === 'smtp-password') return cb(null, { user: auth.username });
      cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (refuseRcpt && address.address === refuseRcpt) return cb(Object.assign(new Error('5.1.1 <' + address.address + '>: Recipient address rejected: User unknown'), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const source = Buffer.concat(chunks);
        raw.push(source.toString());
        void simpleParser(source).then((m) => {
          received.push(m);
          cb();
        });
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    raw,
    refuse(address: string | null) {
      refuseRcpt = address;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

