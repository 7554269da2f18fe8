/**
 * The SMTP machine (RFC 5321, with PIPELINING 2920, AUTH 4954, CHUNKING
 * 3030, STARTTLS 3207).
 *
 * Like Zeek's analyser it does not validate the conversation; it guesses
 * well what each byte is. Client commands are queued as pending; each
 * server reply answers the oldest one, so pipelined groups match in order,
 * and state advances on the pair (command, reply): DATA enters the message
 * only on 354, AUTH reads a SASL line only after 334, STARTTLS hands over to
 * TLS only on 220. Client bytes whose meaning depends on a reply not yet
 * seen wait in the client queue until it comes (or until we must guess:
 * see `holdEscape`).
 *
 * Gaps are first class: a message cut by one is closed as partial, line
 * modes drop the broken line and resume at the next line that parses, and
 * the next reply that can be trusted (a DATA's final reply, a 354) brings
 * the client side back in step.
 */
import { ByteQueue } from '../byte-queue.js';
import type { ProtocolMachine } from '../machine.js';
import { MessageBody } from '../message-body.js';
import type { AuthAttempt, Command, Exchange, Reply } from '../../session/model.js';
import type { SessionRecorder } from '../../session/recorder.js';
import type { Direction } from '../../tcp/types.js';
import { looksLikeCommand, parseBdat, parseCommand, pathAddress, type CommandKind } from './commands.js';
import { DotBodyReader } from './data-reader.js';
import { MAX_LINE, nextLine, type LineNotes, type TextLine } from './line-reader.js';
import { ReplyAssembler, parseReplyLine, type AssembledReply } from './reply-parser.js';
import { expectedResponses, isCancel, saslUser } from '../sasl.js';
import { append } from '../../util/small-array.js';

/** Client bytes we hold for a reply before assuming it was a success (conventions: 64 KiB). */
export const MAX_HELD = 64 * 1024;

interface Recipient {
  address: string;
  /** Decided by the RCPT's reply. */
  status: 'pending' | 'accepted' | 'rejected';
}

/** The mail transaction (RFC 5321 3.3): MAIL, then RCPTs, then a message. */
interface Transaction {
  mailFrom?: string;
  rcpts: Recipient[];
}

interface AuthState {
  attempt: AuthAttempt;
  mechanism: string;
  /** Client responses so far (the initial response counts as the first). */
  step: number;
  cancelled: boolean;
  /** One-sided capture only: SASL lines still expected (guessed from the mechanism). */
  guessLeft: number;
}

/** A command waiting for its final reply. */
interface Pending {
  index: number;
  exchange: Exchange;
  verb: string;
  kind: CommandKind | null;
  auth?: AuthState;
  rcpt?: Recipient;
  /** DATA: we entered the message without seeing 354 (one-sided capture or hold escape). */
  assumedInterim?: boolean;
  /** DATA: its 354 came. */
  gotInterim?: boolean;
}

/** A message being collected (DATA: one exchange; BDAT: one or more chunks). */
interface OpenMessage {
  body: MessageBody;
  partial: boolean;
  tx: Transaction | null;
  /** Exchanges of the BDAT commands that carried it (the last one is the message's exchange). */
  exchanges: number[];
}

type ClientMode =
  /** Command lines. */
  | 'command'
  /** The next line answers a 334 challenge. */
  | 'sasl'
  /** Message lines after 354, up to ".". */
  | 'data'
  /** After a gap inside a message: discard lines up to "." or the DATA's final reply. */
  | 'data-lost'
  /** Exactly `bdatLeft` chunk bytes. */
  | 'bdat';

type Backlog = { gap: false; data: Buffer; ts: bigint; frame: number } | { gap: true; length: number; ts: bigint; frame: number };

/** `flags` bits per direction (shifted left by dir): a bare LF was noted; after a gap, lines that do not parse are dropped. */
const BARE_LF_NOTED = 1;
const AFTER_GAP = 4;
/** `flags` bits of the whole machine (see their accessors). */
const TLS = 16;
const ANY_BYTES = 32;
const SERVER_SEEN = 64;
const GREETING_SEEN = 128;
const SERVER_RESYNC = 256;
const BDAT_LAST = 512;

/**
 * Memory: tens of thousands of machines are alive at once in a flood, so a
 * machine is one object of fields (bits for flags, two counters rather than
 * arrays of two), its queues hold no arrays while empty, it makes no
 * closures, and what a session may never need (the backlog) is made when
 * first needed.
 */
export class SmtpMachine implements ProtocolMachine, LineNotes {
  private readonly q0 = new ByteQueue();
  private readonly q1 = new ByteQueue();
  /** The reply being put together; null between replies. */
  private assembler: ReplyAssembler | null = null;
  /** BARE_LF_NOTED and AFTER_GAP, shifted by the direction, and the machine's own bits (TLS and the others). */
  private flags = 0;
  /** LineNotes: the directions inside the rest of a cut line. */
  lineSkip = 0;

  private mode: ClientMode = 'command';
  /** The command whose reply decides what the held client bytes are. */
  private waitFor: Pending | null = null;
  /** Client events after a gap that came while bytes were held: replayed in order; null while there are none. */
  private backlog: Backlog[] | null = null;
  private backlogBytes = 0;
  private pending: Pending[] = [];
  private tx: Transaction | null = null;
  private message: OpenMessage | null = null;
  /** A finished BDAT message waiting for RCPT replies still pending (pipelining), with its carrier. */
  private deferred: { message: OpenMessage; carrier: Pending } | null = null;
  private dataReader: DotBodyReader | null = null;
  /** The DATA command whose message is being read (or was lost in a gap). */
  private dataCommand: Pending | null = null;
  private bdatLeft = 0;
  private saslFor: Pending | null = null;
  private lastClientFrame = 0;
  /** Lines dropped after a gap in line mode (per direction). */
  private dropped0 = 0;
  private dropped1 = 0;

  constructor(private readonly recorder: SessionRecorder) {}

  /** Bytes go to TLS from now on. */
  private get tls(): boolean { return (this.flags & TLS) !== 0; }
  private set tls(on: boolean) { this.flag(TLS, on); }
  private get anyBytes(): boolean { return (this.flags & ANY_BYTES) !== 0; }
  private set anyBytes(on: boolean) { this.flag(ANY_BYTES, on); }
  private get serverSeen(): boolean { return (this.flags & SERVER_SEEN) !== 0; }
  private set serverSeen(on: boolean) { this.flag(SERVER_SEEN, on); }
  private get greetingSeen(): boolean { return (this.flags & GREETING_SEEN) !== 0; }
  private set greetingSeen(on: boolean) { this.flag(GREETING_SEEN, on); }
  /** A server gap happened: the next distinctive reply may skip commands whose replies were lost. */
  private get serverResync(): boolean { return (this.flags & SERVER_RESYNC) !== 0; }
  private set serverResync(on: boolean) { this.flag(SERVER_RESYNC, on); }
  /** The BDAT chunk being read is the LAST one. */
  private get bdatLast(): boolean { return (this.flags & BDAT_LAST) !== 0; }
  private set bdatLast(on: boolean) { this.flag(BDAT_LAST, on); }

  private flag(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }

  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    if (data.length === 0) return;
    try {
      if (this.tls) {
        this.recorder.tlsData(dir, data, ts, frame);
        return;
      }
      // Implicit TLS (465): the client speaks first, with a TLS handshake record (RFC 8446 5.1).
      if (!this.anyBytes && dir === 0 && data[0] === 0x16 && (data.length < 2 || data[1] === 0x03)) {
        this.anyBytes = true;
        this.beginTls(null);
        this.recorder.tlsData(dir, data, ts, frame);
        return;
      }
      this.anyBytes = true;
      if (dir === 1) {
        this.serverSeen = true;
        this.q1.push(data, ts, frame);
        this.pumpServer();
      } else {
        this.lastClientFrame = frame;
        if (this.backlog !== null) {
          this.backlog.push({ gap: false, data: Buffer.from(data), ts, frame });
          this.backlogBytes += data.length;
        } else {
          this.q0.push(data, ts, frame);
        }
      }
      this.pumpClient();
    } catch (err) {
      this.internalError(err, frame);
    }
  }

  gap(dir: Direction, length: number, ts: bigint, frame: number): void {
    try {
      if (this.tls) {
        this.recorder.tlsGap(dir, length);
        return;
      }
      if (dir === 1) {
        this.serverGap(length, frame);
        return;
      }
      if (this.waitFor !== null || this.backlog !== null) {
        // Bytes before the gap still wait for a reply: keep the gap in its place.
        (this.backlog ??= []).push({ gap: true, length, ts, frame });
        this.pumpClient();
        return;
      }
      this.clientGap(length, frame);
      this.pumpClient();
    } catch (err) {
      this.internalError(err, frame);
    }
  }

  end(ts: bigint, frame: number): void {
    try {
      if (this.tls) return;
      // Held bytes: nothing more will decide them; read them as if the reply had been a success.
      if (this.waitFor !== null && (this.q0.length > 0 || this.backlog !== null)) {
        this.assumeSuccess(this.waitFor, frame, 'capture ended');
        this.pumpClient();
      }
      if (this.message !== null) {
        const what = this.mode === 'data' ? 'message (no final ".")' : 'BDAT message (no LAST chunk)';
        this.closeMessage(true, `capture ended inside the ${what}`, frame, this.message.exchanges[this.message.exchanges.length - 1]);
      }
      if (this.deferred !== null) this.finishDeferred();
      const missing = this.pending.filter((p) => p.exchange.reply === null);
      if (missing.length > 0) {
        if (this.serverSeen) {
          for (const p of missing) this.recorder.anomaly('reply.missing', `no reply to ${p.verb || 'empty command'}`, frame, p.index);
        } else {
          this.recorder.anomaly('reply.missing', `server side not in the capture: ${missing.length} command(s) without a reply`, frame);
        }
      }
      this.pending.length = 0;
    } catch (err) {
      this.internalError(err, frame);
    }
    void ts;
  }

  // ---- server side -------------------------------------------------------

  private pumpServer(): void {
    while (!this.tls) {
      const line = nextLine(this.q1, 1, this, MAX_LINE);
      if (line === null) break;
      if (this.flags & (AFTER_GAP << 1)) {
        if (parseReplyLine(line.text) === null) {
          this.dropped1++;
          continue;
        }
        this.resumed(1, line.frame);
      }
      const assembler = (this.assembler ??= new ReplyAssembler(this.recorder));
      const reply = assembler.push(line);
      if (reply === null) continue;
      this.assembler = null;
      this.onReply(reply);
      // Client bytes a reply released (pipelined after DATA / AUTH) come before the next reply.
      if (this.waitFor === null) this.pumpClient();
    }
    if (this.tls) this.flushToTls();
  }

  private onReply(assembled: AssembledReply): void {
    const { reply, problems } = assembled;
    const code = reply.code as number | undefined;
    if (code === undefined) {
      // A line that is no reply at all: keep it, but let it answer nothing.
      const index = this.recorder.addExchange({ command: null, reply });
      this.recorder.anomaly('reply.malformed', problems.join('; '), assembled.firstFrame, index);
      return;
    }
    const malformed = (index: number) => {
      if (problems.length > 0) this.recorder.anomaly('reply.malformed', problems.join('; '), assembled.firstFrame, index);
    };
    if (!this.greetingSeen) {
      this.greetingSeen = true;
      // RFC 5321 3.1: the server speaks first, 220 or 554. Replies before any
      // greeting answer commands only when the capture began mid-session.
      const head = this.pending[0];
      if (head === undefined || ((code === 220 || code === 554) && head.kind !== 'starttls')) {
        const index = this.recorder.addExchange({ command: null, reply });
        malformed(index);
        return;
      }
    }
    if (this.serverResync) this.skipLostReplies(code, reply.frame);
    const p = this.pending[0];
    if (p === undefined) {
      const index = this.recorder.addExchange({ command: null, reply });
      malformed(index);
      // RFC 5321 3.8: a server may send 421 at any time before closing; that is no surprise.
      if (code !== 421) this.recorder.anomaly('reply.unexpected', `reply ${code} with no command waiting`, reply.frame, index);
      return;
    }
    malformed(p.index);
    if (this.interim(p, code, reply)) return;
    this.pending.shift();
    p.exchange.reply = reply;
    if (this.waitFor === p) this.waitFor = null;
    switch (p.kind) {
      case 'rcpt':
        if (p.rcpt) p.rcpt.status = code >= 200 && code < 300 ? 'accepted' : 'rejected';
        break;
      case 'auth':
        this.authDone(p, code);
        break;
      case 'starttls':
        // RFC 3207 4: 220 and the TLS handshake starts; anything else, clear text goes on.
        if (code === 220) this.beginTls(p.index);
        break;
      case 'data':
        if (this.mode === 'data-lost' && this.dataCommand === p) {
          // The final reply to a DATA whose end we lost: the client is back in command mode.
          this.mode = 'command';
          this.dataReader = null;
          this.dataCommand = null;
          this.recorder.anomaly('stream.resync', 'resumed commands at the final reply to the DATA whose end was lost', reply.frame, p.index);
        }
        if (this.dataCommand === p && this.mode === 'command') this.dataCommand = null;
        break;
      default:
        break;
    }
    if (this.deferred !== null && this.deferred.carrier === p) this.finishDeferred();
  }

  /** 334 to AUTH and 354 to DATA are steps inside the command; true when the reply was one. */
  private interim(p: Pending, code: number, reply: Reply): boolean {
    if (p.kind === 'auth' && code === 334) {
      (p.exchange.interim ??= []).push({ reply });
      if (this.waitFor === p) this.waitFor = null;
      if (this.mode === 'command' || this.mode === 'sasl') {
        this.mode = 'sasl';
        this.saslFor = p;
      }
      return true;
    }
    if (p.kind === 'data' && code === 354 && !p.gotInterim) {
      p.gotInterim = true;
      (p.exchange.interim ??= []).push({ reply });
      if (!p.assumedInterim) this.startData(p);
      return true;
    }
    return false;
  }

  private authDone(p: Pending, code: number): void {
    const auth = p.auth;
    if (auth) {
      // RFC 4954 4: "*" cancels (the server answers 501); 235 is success; 4xx/5xx failures (454, 534, 535, 538).
      if (auth.cancelled) auth.attempt.result = 'aborted';
      else if (code >= 200 && code < 300) auth.attempt.result = 'success';
      else if (code >= 400) auth.attempt.result = 'failure';
    }
    if (this.saslFor === p) {
      this.saslFor = null;
      if (this.mode === 'sasl') this.mode = 'command';
    }
  }

  /**
   * After a server gap, a distinctive reply tells which command it answers
   * (354 DATA, 334/235 AUTH, 221 QUIT, 220 STARTTLS): commands before that
   * one lost their replies in the gap.
   */
  private skipLostReplies(code: number, frame: number): void {
    this.serverResync = false;
    const fits = (p: Pending) =>
      (code === 354 && p.kind === 'data') || ((code === 334 || code === 235) && p.kind === 'auth') ||
      (code === 221 && p.verb === 'QUIT') || (code === 220 && p.kind === 'starttls');
    if (this.pending.length < 2 || fits(this.pending[0])) return;
    const at = this.pending.findIndex(fits);
    if (at <= 0) return;
    for (const lost of this.pending.splice(0, at)) this.lostReply(lost, frame);
  }

  private lostReply(p: Pending, frame: number): void {
    this.recorder.anomaly('stream.resync', `reply to ${p.verb || 'empty command'} lost in a gap`, frame, p.index);
    if (this.waitFor === p) this.assumeSuccess(p, frame, 'its reply was lost in a gap');
    if (p.kind === 'rcpt' && p.rcpt) p.rcpt.status = 'accepted';
    if (this.deferred !== null && this.deferred.carrier === p) this.finishDeferred();
  }

  private serverGap(length: number, frame: number): void {
    const partialLine = this.q1.length > 0;
    const cutLines = this.assembler?.pendingLines ?? 0;
    this.q1.clear();
    this.assembler = null;
    this.flags |= AFTER_GAP << 1;
    this.dropped1 = 0;
    this.serverResync = true;
    // A reply cut by the gap is lost, and with it the oldest command's answer.
    // At a line boundary it is a guess: only when several commands wait, the
    // oldest one's reply was most likely inside the gap.
    let lost = '';
    if ((partialLine || cutLines > 0 || this.pending.length >= 2) && this.pending.length > 0) {
      const p = this.pending.shift() as Pending;
      lost = `; the reply to ${p.verb || 'empty command'} is taken as lost`;
      this.lostReply(p, frame);
    }
    this.recorder.anomaly('stream.resync', `${length} server bytes missing: ${cutLines} reply line(s) and ${partialLine ? 'a partial line' : 'no partial line'} dropped${lost}`, frame);
    this.pumpClient();
  }

  // ---- client side -------------------------------------------------------

  private pumpClient(): void {
    for (;;) {
      if (this.tls) break;
      if (this.waitFor !== null) {
        if (!this.serverSeen || this.q0.length + this.backlogBytes <= MAX_HELD) return;
        this.assumeSuccess(this.waitFor, this.lastClientFrame, `more than ${MAX_HELD} client bytes waited for its reply`);
        continue;
      }
      if (this.clientStep()) continue;
      const backlog = this.backlog;
      if (backlog === null) return;
      const next = backlog.shift()!;
      if (backlog.length === 0 && this.backlog === backlog) this.backlog = null;
      if (next.gap) {
        this.clientGap(next.length, next.frame);
      } else {
        this.backlogBytes -= next.data.length;
        this.q0.push(next.data, next.ts, next.frame);
      }
    }
    if (this.tls) this.flushToTls();
  }

  /** One unit of client input in the current mode; false when none is complete. */
  private clientStep(): boolean {
    switch (this.mode) {
      case 'command': {
        const line = nextLine(this.q0, 0, this, MAX_LINE);
        if (line === null) return false;
        if (this.flags & AFTER_GAP) {
          if (!looksLikeCommand(line.text)) {
            this.dropped0++;
            return true;
          }
          this.resumed(0, line.frame);
        }
        this.command(line);
        return true;
      }
      case 'sasl': {
        const line = nextLine(this.q0, 0, this, MAX_LINE);
        if (line === null) return false;
        this.saslResponse(line);
        return true;
      }
      case 'data':
      case 'data-lost': {
        const reader = this.dataReader as DotBodyReader;
        const lost = this.mode === 'data-lost';
        const end = reader.read(lost ? null : (this.message?.body ?? null));
        if (end === null) return false;
        if (lost) {
          this.recorder.anomaly('stream.resync', 'found the end of the message after a gap: back to commands', end.frame, this.dataCommand?.index);
        } else if (this.message !== null) {
          this.closeMessage(false, '', end.frame, this.dataCommand?.index ?? 0);
        }
        this.mode = 'command';
        this.dataReader = null;
        this.dataCommand = null;
        this.tx = null;
        return true;
      }
      case 'bdat': {
        if (this.bdatLeft > 0) {
          const unit = this.q0.readUpTo(this.bdatLeft);
          if (unit === null) return false;
          this.message?.body.write(unit.data);
          this.bdatLeft -= unit.data.length;
          if (this.bdatLeft > 0) return true;
          this.bdatChunkDone();
          return true;
        }
        this.bdatChunkDone();
        return true;
      }
    }
  }

  private command(line: TextLine): void {
    const cmd = parseCommand(line.text);
    let args = cmd.args;
    if (cmd.kind === 'auth') {
      // The mechanism is no secret; an initial response is (RFC 4954 4).
      const m = /^(\S*)(\s+)(.*)$/s.exec(args);
      if (m !== null && m[3] !== '') args = `${m[1]}${m[2]}${this.recorder.secret(m[3])}`;
    }
    const command: Command = { ts: this.recorder.time(line.ts), frame: line.frame, verb: cmd.verb, args };
    if (cmd.word !== cmd.verb) command.sent = cmd.word;
    const exchange: Exchange = { command, reply: null };
    const index = this.recorder.addExchange(exchange);
    if (cmd.kind === null) {
      this.recorder.anomaly('command.unknown', cmd.verb === '' ? 'empty command line' : `unknown command ${JSON.stringify(cmd.verb.slice(0, 40))}`, line.frame, index);
    }
    const p: Pending = { index, exchange, verb: cmd.verb, kind: cmd.kind };
    this.pending = append(this.pending, p);
    switch (cmd.kind) {
      case 'reset':
        this.abandonBdat(line.frame, cmd.verb);
        this.tx = null;
        break;
      case 'mail':
        this.abandonBdat(line.frame, cmd.verb);
        this.tx = { mailFrom: pathAddress(cmd.args), rcpts: [] };
        break;
      case 'rcpt': {
        const address = pathAddress(cmd.args);
        if (address !== undefined) {
          p.rcpt = { address, status: 'pending' };
          (this.tx ??= { rcpts: [] }).rcpts.push(p.rcpt);
        }
        break;
      }
      case 'data':
        this.abandonBdat(line.frame, cmd.verb);
        this.dataCommand = p;
        if (!this.serverSeen) this.assumeSuccess(p, line.frame, null);
        else this.waitFor = p;
        break;
      case 'bdat':
        this.bdatCommand(p, cmd.args, line.frame);
        break;
      case 'auth':
        this.authCommand(p, cmd.args);
        break;
      case 'starttls':
        if (!this.serverSeen) this.assumeSuccess(p, line.frame, null);
        else this.waitFor = p;
        break;
      default:
        break;
    }
  }

  private authCommand(p: Pending, args: string): void {
    const [mechWord = '', initial] = args.trim().split(/\s+/);
    const mechanism = mechWord.toUpperCase();
    if (mechanism === '') {
      // "AUTH" alone is a syntax error (501), not an attempt; no SASL line follows.
      if (this.serverSeen) this.waitFor = p;
      return;
    }
    const attempt = this.recorder.addAuth(mechanism, null, p.index);
    const auth: AuthState = { attempt, mechanism, step: 0, cancelled: false, guessLeft: 0 };
    p.auth = auth;
    if (initial !== undefined) {
      if (isCancel(initial)) auth.cancelled = true;
      else attempt.user = saslUser(mechanism, 0, initial);
      auth.step = 1;
    }
    if (!this.serverSeen) {
      auth.guessLeft = auth.cancelled ? 0 : expectedResponses(mechanism, initial !== undefined);
      if (auth.guessLeft > 0) {
        this.mode = 'sasl';
        this.saslFor = p;
      }
      return;
    }
    this.waitFor = p;
  }

  private saslResponse(line: TextLine): void {
    const p = this.saslFor;
    this.mode = 'command';
    if (p === null || p.auth === undefined) return;
    const auth = p.auth;
    const last = p.exchange.interim?.[p.exchange.interim.length - 1];
    if (last !== undefined && last.response === undefined) {
      last.response = { ts: this.recorder.time(line.ts), frame: line.frame, text: this.recorder.secret(line.text) };
    }
    if (isCancel(line.text)) {
      auth.cancelled = true;
    } else {
      const user = saslUser(auth.mechanism, auth.step, line.text);
      if (user !== null && auth.attempt.user === null) auth.attempt.user = user;
    }
    auth.step++;
    if (!this.serverSeen) {
      // One-sided capture: no reply will come, follow the mechanism's usual number of steps.
      auth.guessLeft--;
      if (auth.guessLeft > 0 && !auth.cancelled) this.mode = 'sasl';
      else this.saslFor = null;
      return;
    }
    this.saslFor = null;
    this.waitFor = p;
  }

  private bdatCommand(p: Pending, args: string, frame: number): void {
    const bdat = parseBdat(args);
    if (bdat === null) {
      // RFC 3030 2: "BDAT" SP chunk-size [SP end-marker]. Without a size we cannot know where the chunk ends.
      this.recorder.anomaly('literal.bad_size', `BDAT without a usable chunk size: ${JSON.stringify(args.slice(0, 40))}`, frame, p.index);
      return;
    }
    if (this.message === null) {
      this.message = { body: new MessageBody('smtp.bdat', p.index, this.recorder.bodyLimit, this.recorder.bodyTap()), partial: false, tx: this.tx, exchanges: [] };
    }
    this.message.exchanges.push(p.index);
    this.bdatLeft = bdat.size;
    this.bdatLast = bdat.last;
    this.mode = 'bdat';
  }

  private bdatChunkDone(): void {
    this.mode = 'command';
    if (!this.bdatLast || this.message === null) return;
    const message = this.message;
    this.message = null;
    this.tx = null;
    const carrier = this.pending.find((p) => p.index === message.exchanges[message.exchanges.length - 1]);
    // With pipelining the chunk may end before the RCPT replies come: the envelope waits for them.
    const waiting = message.tx?.rcpts.some((r) => r.status === 'pending') ?? false;
    if (carrier !== undefined && waiting && this.serverSeen) {
      this.deferred = { message, carrier };
      return;
    }
    this.recordMessage(message);
  }

  /** RSET / MAIL / HELO before BDAT LAST: the chunks so far are discarded by the server (RFC 3030 2). */
  private abandonBdat(frame: number, verb: string): void {
    if (this.message === null || this.mode === 'data') return;
    const message = this.message;
    this.closeMessage(true, `BDAT message abandoned by ${verb} before its LAST chunk`, frame, message.exchanges[message.exchanges.length - 1]);
  }

  // ---- messages ----------------------------------------------------------

  private startData(p: Pending): void {
    this.message = { body: new MessageBody('smtp.data', p.index, this.recorder.bodyLimit, this.recorder.bodyTap()), partial: false, tx: this.tx, exchanges: [p.index] };
    this.dataReader = new DotBodyReader(this.q0, (frame) => this.bareLf(0, frame));
    this.dataCommand = p;
    this.mode = 'data';
    if (this.waitFor === p) this.waitFor = null;
  }

  /** Ends the open message; `partial` with the reason as a 'message.partial' anomaly. */
  private closeMessage(partial: boolean, reason: string, frame: number, exchange: number): void {
    const message = this.message;
    if (message === null) return;
    this.message = null;
    if (partial) {
      message.partial = true;
      this.recorder.anomaly('message.partial', reason, frame, exchange);
    }
    this.recordMessage(message);
  }

  private finishDeferred(): void {
    const d = this.deferred;
    this.deferred = null;
    if (d !== null) this.recordMessage(d.message);
  }

  private recordMessage(message: OpenMessage): void {
    const tx = message.tx;
    const envelope: { mailFrom?: string; rcptTo?: string[] } = {};
    if (tx !== null) {
      if (tx.mailFrom !== undefined) envelope.mailFrom = tx.mailFrom;
      // Recipients the server accepted; with no server side in the capture, all of them.
      envelope.rcptTo = tx.rcpts
        .filter((r) => r.status === 'accepted' || (r.status === 'pending' && !this.serverSeen))
        .map((r) => r.address);
    }
    const summary = message.body.finish(message.partial, envelope);
    const last = message.exchanges[message.exchanges.length - 1] ?? summary.exchange;
    summary.exchange = last;
    const index = this.recorder.addMessage(summary);
    // The earlier BDAT chunks carried it too.
    for (const ex of message.exchanges.slice(0, -1)) {
      const e = this.recorder.session.exchanges[ex];
      if (e) (e.bodies ??= []).push({ message: index });
    }
  }

  // ---- holds, gaps, TLS -------------------------------------------------

  /**
   * Goes on as if `p` had got its success reply: one-sided capture (reason
   * null, no anomaly) or a hold that cannot wait any longer.
   */
  private assumeSuccess(p: Pending, frame: number, reason: string | null): void {
    if (this.waitFor === p) this.waitFor = null;
    if (reason !== null) this.recorder.anomaly('stream.resync', `no reply to ${p.verb} yet (${reason}): assumed success`, frame, p.index);
    if (p.kind === 'data' && !p.gotInterim) {
      p.assumedInterim = true;
      this.startData(p);
    } else if (p.kind === 'starttls') {
      this.beginTls(p.index);
    }
    // AUTH: the held line is read as a command (a one-sided AUTH is guessed in authCommand).
  }

  private clientGap(length: number, frame: number): void {
    switch (this.mode) {
      case 'data': {
        // DATA has no length: the end of the message can only be found again.
        this.q0.clear();
        this.closeMessage(true, `${length} client bytes missing inside the message`, frame, this.dataCommand?.index ?? 0);
        this.mode = 'data-lost';
        this.dataReader = new DotBodyReader(this.q0, (f) => this.bareLf(0, f), false);
        this.recorder.anomaly('stream.resync', `${length} client bytes missing in a message: skipping to its end or to the final reply`, frame, this.dataCommand?.index);
        return;
      }
      case 'data-lost':
        this.q0.clear();
        this.dataReader = new DotBodyReader(this.q0, (f) => this.bareLf(0, f), false);
        this.recorder.anomaly('stream.resync', `${length} more client bytes missing while looking for the end of a message`, frame);
        return;
      case 'bdat': {
        // RFC 3030: the chunk's size says how many bytes the gap took from it.
        const inChunk = Math.min(length, this.bdatLeft);
        this.bdatLeft -= inChunk;
        if (this.message !== null && inChunk > 0) {
          if (!this.message.partial) this.recorder.anomaly('message.partial', `${inChunk} bytes of a BDAT chunk missing`, frame, this.message.exchanges[this.message.exchanges.length - 1]);
          this.message.partial = true;
        }
        this.recorder.anomaly('stream.resync', `${length} client bytes missing: ${inChunk} counted against the BDAT chunk`, frame);
        if (this.bdatLeft === 0) this.bdatChunkDone();
        if (length > inChunk) this.lineGap(0);
        return;
      }
      case 'sasl':
      case 'command': {
        const partial = this.q0.length;
        this.recorder.anomaly('stream.resync', `${length} client bytes missing: ${partial > 0 ? 'partial command line dropped, ' : ''}resuming at the next command`, frame);
        if (this.mode === 'sasl') {
          // The SASL answer may be in the gap: the outcome stays whatever the final reply says.
          this.mode = 'command';
          if (this.saslFor !== null) this.waitFor = this.saslFor;
          this.saslFor = null;
        }
        this.lineGap(0);
        return;
      }
    }
  }

  private lineGap(dir: Direction): void {
    (dir === 0 ? this.q0 : this.q1).clear();
    this.flags |= AFTER_GAP << dir;
    if (dir === 0) this.dropped0 = 0;
    else this.dropped1 = 0;
  }

  private resumed(dir: Direction, frame: number): void {
    this.flags &= ~(AFTER_GAP << dir);
    const dropped = dir === 0 ? this.dropped0 : this.dropped1;
    if (dropped > 0) {
      this.recorder.anomaly('stream.resync', `skipped ${dropped} ${dir === 0 ? 'client' : 'server'} line(s) after a gap that did not parse`, frame);
    }
    if (dir === 0) this.dropped0 = 0;
    else this.dropped1 = 0;
  }

  private beginTls(index: number | null): void {
    if (this.tls) return;
    this.tls = true;
    this.waitFor = null;
    this.recorder.startTls(index);
  }

  /** After the STARTTLS reply everything already queued (both ways) is TLS (RFC 3207 4.2). */
  private flushToTls(): void {
    for (const dir of [1, 0] as const) {
      const q = dir === 0 ? this.q0 : this.q1;
      const unit = q.readUpTo(q.length);
      if (unit !== null) this.recorder.tlsData(dir, unit.data, unit.ts, unit.frame);
    }
    for (const b of this.backlog ?? []) {
      if (b.gap) this.recorder.tlsGap(0, b.length);
      else this.recorder.tlsData(0, b.data, b.ts, b.frame);
    }
    this.backlog = null;
    this.backlogBytes = 0;
  }

  // LineNotes: what the line readers report.

  tooLong(dir: Direction, frame: number, kept: number): void {
    this.recorder.anomaly('line.too_long', `${dir === 0 ? 'command' : 'reply'} line longer than ${kept} bytes: cut, rest skipped`, frame);
  }

  bareLf(dir: Direction, frame: number): void {
    if (this.flags & (BARE_LF_NOTED << dir)) return;
    this.flags |= BARE_LF_NOTED << dir;
    this.recorder.anomaly('line.bare_lf', `${dir === 0 ? 'client' : 'server'} line ended by a bare LF (RFC 5321 2.3.8 requires CRLF)`, frame);
  }

  /** A bug of ours must not end the analysis: note it and drop what is queued. */
  private internalError(err: unknown, frame: number): void {
    const message = err instanceof Error ? err.message : String(err);
    this.recorder.anomaly('stream.resync', `internal error, state reset: ${message.slice(0, 200)}`, frame);
    this.q0.clear();
    this.q1.clear();
    this.backlog = null;
    this.backlogBytes = 0;
    this.mode = 'command';
    this.waitFor = null;
    this.message = null;
  }
}
