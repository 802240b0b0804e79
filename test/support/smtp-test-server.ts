/**
 * A real SMTP server (the smtp-server package) on a free loopback port, recording what it receives;
 * closed when the test ends. STARTTLS is off unless a test turns it on.
 */
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMessage {
  readonly raw: Buffer;
  readonly recipients: string[];
  readonly secure: boolean;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMessage[];
  readonly logins: { username: string | null | undefined; password: string | null | undefined }[];
}

/** Accepts the login `credentials` when given (others are refused), and any message; on `port`, or a free one. */
export async function startSmtpServer(
  t: TestContext,
  credentials: { username: string; password: string } | null,
  options: SMTPServerOptions = {},
  port = 0,
): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: credentials === null,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username, password: auth.password });
      if (auth.username === credentials?.username && auth.password === credentials?.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((address) => address.address);
        received.push({ raw: Buffer.concat(chunks), recipients, secure: session.secure });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(resolve)));
  return { port: (server.server.address() as AddressInfo).port, received, logins };
}
