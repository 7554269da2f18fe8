/**
 * Tiny SMTP, POP3 and IMAP servers and a scripted client, written with node's
 * net module for the live-capture tests: just enough of each protocol for a
 * real conversation (greeting, auth that succeeds for password "good" and
 * fails otherwise, a message, quit), on loopback ports chosen by the caller.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

type Handler = (line: string, socket: Socket, state: { data: boolean; body: string }) => void;

function lineServer(greeting: string, handle: Handler): Server {
  return createServer((socket) => {
    const state = { data: false, body: '' };
    let buf = '';
    socket.on('error', () => undefined);
    socket.write(greeting);
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        handle(line, socket, state);
      }
    });
  });
}

const password = (b64: string): string => Buffer.from(b64, 'base64').toString('latin1').split('\0')[2] ?? '';

export function smtpServer(): Server {
  return lineServer('220 test.example ESMTP ready\r\n', (line, s, st) => {
    if (st.data) {
      if (line === '.') {
        st.data = false;
        s.write('250 2.0.0 Ok: queued as 1234\r\n');
      }
      return;
    }
    const [verb, ...rest] = line.split(' ');
    switch (verb.toUpperCase()) {
      case 'EHLO': s.write('250-test.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n'); break;
      case 'AUTH': s.write(password(rest[1] ?? '') === 'good' ? '235 2.7.0 Authentication successful\r\n' : '535 5.7.8 Error: authentication failed\r\n'); break;
      case 'MAIL': s.write('250 2.1.0 Ok\r\n'); break;
      case 'RCPT': s.write(/nobody/.test(line) ? '550 5.1.1 <nobody@example.net>: Recipient address rejected\r\n' : '250 2.1.5 Ok\r\n'); break;
      case 'DATA': st.data = true; s.write('354 End data with <CR><LF>.<CR><LF>\r\n'); break;
      case 'QUIT': s.end('221 2.0.0 Bye\r\n'); break;
      default: s.write('502 5.5.2 Error: command not recognized\r\n');
    }
  });
}

export function pop3Server(): Server {
  return lineServer('+OK POP3 ready\r\n', (line, s) => {
    const [verb, arg] = line.split(' ');
    switch (verb.toUpperCase()) {
      case 'USER': s.write('+OK\r\n'); break;
      case 'PASS': s.write(arg === 'good' ? '+OK Logged in.\r\n' : '-ERR [AUTH] Authentication failed.\r\n'); break;
      case 'STAT': s.write('+OK 1 120\r\n'); break;
      case 'QUIT': s.end('+OK Logging out.\r\n'); break;
      default: s.write('-ERR Unknown command.\r\n');
    }
  });
}

export function imapServer(): Server {
  return lineServer('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n', (line, s) => {
    const [tag, verb, ...args] = line.split(' ');
    switch ((verb ?? '').toUpperCase()) {
      case 'LOGIN': s.write(args[1] === 'good' ? `${tag} OK [CAPABILITY IMAP4rev1] Logged in\r\n` : `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`); break;
      case 'SELECT': s.write(`* 1 EXISTS\r\n* 0 RECENT\r\n${tag} OK [READ-WRITE] Select completed.\r\n`); break;
      case 'LOGOUT': s.end(`* BYE Logging out\r\n${tag} OK Logout completed.\r\n`); break;
      default: s.write(`${tag} BAD Error in IMAP command\r\n`);
    }
  });
}

/** One step of a client script: what to send (null: nothing, just wait), and what the reply must end with. */
export type Step = [send: string | null, until: RegExp];

/** Connects, plays the script (each step waits for its reply) and resolves when the server closes. */
export function converse(port: number, steps: Step[], host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host });
    let received = '';
    let step = 0;
    let mark = 0;
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`conversation on port ${port} timed out at step ${step}: ${JSON.stringify(received)}`)); }, 10_000);
    const advance = (): void => {
      while (step < steps.length && steps[step][1].test(received.slice(mark))) {
        mark = received.length;
        step++;
        if (step < steps.length && steps[step][0] !== null) socket.write(steps[step][0]!);
      }
    };
    socket.on('connect', () => { if (steps[0]?.[0]) socket.write(steps[0][0]); });
    socket.on('data', (d) => { received += d.toString('latin1'); advance(); });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('close', () => { clearTimeout(timer); resolve(received); });
  });
}

const plain = (user: string, pass: string): string => Buffer.from(`\0${user}\0${pass}`).toString('base64');

/** SMTP: greeting, EHLO, AUTH PLAIN (good or bad password), a message (when auth succeeds), QUIT. */
export function smtpScript(user: string, pass: string): Step[] {
  const ok = pass === 'good';
  const steps: Step[] = [
    [null, /^220 .*\r\n$/],
    ['EHLO client.example\r\n', /^250 .*\r\n$/m],
    [`AUTH PLAIN ${plain(user, pass)}\r\n`, /^(235|535) .*\r\n$/],
  ];
  if (ok) {
    steps.push(
      ['MAIL FROM:<alice@example.com>\r\n', /^250 .*\r\n$/],
      ['RCPT TO:<bob@example.net>\r\n', /^250 .*\r\n$/],
      ['DATA\r\n', /^354 .*\r\n$/],
      ['From: alice@example.com\r\nTo: bob@example.net\r\nSubject: live test\r\n\r\nHello over loopback.\r\n.\r\n', /^250 .*\r\n$/],
    );
  }
  steps.push(['QUIT\r\n', /^221 .*\r\n$/]);
  return steps;
}

export function pop3Script(user: string, pass: string): Step[] {
  const steps: Step[] = [
    [null, /^\+OK.*\r\n$/],
    [`USER ${user}\r\n`, /^\+OK.*\r\n$/],
    [`PASS ${pass}\r\n`, /^[+-].*\r\n$/],
  ];
  if (pass === 'good') steps.push(['STAT\r\n', /^\+OK.*\r\n$/]);
  steps.push(['QUIT\r\n', /^\+OK.*\r\n$/]);
  return steps;
}

export function imapScript(user: string, pass: string): Step[] {
  const steps: Step[] = [
    [null, /^\* OK.*\r\n$/],
    [`a1 LOGIN ${user} ${pass}\r\n`, /^a1 (OK|NO) .*\r\n$/m],
  ];
  if (pass === 'good') steps.push(['a2 SELECT INBOX\r\n', /^a2 OK .*\r\n$/m]);
  steps.push(['a3 LOGOUT\r\n', /^a3 OK .*\r\n$/m]);
  return steps;
}

/** Listens on a free loopback port (0: the system picks) and returns it. */
export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
