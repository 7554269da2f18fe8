/**
 * The POP3 machine (RFC 1939, with RFC 2449 CAPA / PIPELINING / response
 * codes, RFC 2595 STLS and RFC 5034 SASL AUTH).
 *
 * Like Zeek's analysers it does not validate; it guesses well where each
 * reply ends. POP3 replies do not say whether they are multi-line: the
 * command does (RFC 1939 section 3; CAPA, LIST and UIDL without an argument,
 * RETR, TOP, AUTH without a mechanism), and only when the answer is +OK.
 * So the machine advances on (command, reply) with a queue of pending
 * commands, which is also what makes RFC 2449 PIPELINING work.
 *
 * Client bytes whose meaning depends on a reply not yet seen (after AUTH
 * and STLS) stay in the client framer until that reply decides.
 */
import type { Command, Exchange, Reply } from '../../session/model.js';
import type { SessionRecorder } from '../../session/recorder.js';
import type { Direction } from '../../tcp/types.js';
import type { ProtocolMachine } from '../machine.js';
import { Pop3Auth } from './auth.js';
import { COMMANDS, splitAuth, splitCommand } from './commands.js';
import { LineFramer, type FramedLine, type GapMark } from './line-framer.js';
import { MessageReader } from './message-reader.js';
import { isCancel } from '../sasl.js';
import { SaslSession } from './sasl-session.js';
import { announcedOctets, parseContinuation, parseStatusLine, type StatusLine } from './status-line.js';
import type { Pending, ServerMode, SkipBodyMode, ListingMode, MessageMode } from './state.js';
import { wireText } from '../../util/wire-text.js';

/** Command and reply lines: RFC 2449 section 4 says 255 octets for commands and 512 for replies; we allow more, then cut. */
export const MAX_LINE = 16 * 1024;
/** Message lines are read in pieces of this size: message lines may be long (RFC 5322 only advises), so pieces are only framing. */
const BODY_PIECE = 64 * 1024;
/** Lines of a CAPA / LIST / UIDL / AUTH listing kept in Reply.lines after the status line; the rest are counted. */
export const MAX_LISTING_LINES = 1000;
/** Client bytes held while waiting for the reply that decides what they are, before assuming success. */
export const MAX_HELD = 64 * 1024;

const CRLF = Buffer.from('\r\n');

export class Pop3Machine implements ProtocolMachine {
  private readonly client: LineFramer;
  private readonly server: LineFramer;
  private readonly auth: Pop3Auth;
  /** Commands sent and not yet answered, oldest first. */
  private pending: Pending[] = [];
  private mode: ServerMode = { kind: 'line' };
  /** STLS succeeded: every byte goes to the TLS stage. */
  private tls = false;
  /** An internal error stopped decoding (never expected: the fuzz tests check it). */
  private dead = false;
  private greeted = false;
  private serverBytes = 0;
  /** After a gap in line mode: server lines that do not parse are skipped quietly until one does. */
  private serverAfterGap = false;
  /** The client has sent a command while another waited for its reply. */
  private clientPipelines = false;
  private readonly last: [{ ts: bigint; frame: number }, { ts: bigint; frame: number }] = [{ ts: 0n, frame: 0 }, { ts: 0n, frame: 0 }];

  constructor(private readonly recorder: SessionRecorder) {
    const bareLf = (side: string) => (frame: number) =>
      recorder.anomaly('line.bare_lf', `${side} lines end with a bare LF (RFC 1939 section 3 wants CRLF)`, frame);
    this.client = new LineFramer(bareLf('client'));
    this.server = new LineFramer(bareLf('server'));
    this.auth = new Pop3Auth(recorder);
  }

  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    this.guard(frame, () => {
      if (this.tls) {
        this.recorder.tlsData(dir, data, ts, frame);
        return;
      }
      this.last[dir] = { ts, frame };
      if (dir === 1) {
        this.serverBytes += data.length;
        this.server.push(data, ts, frame);
        this.pumpServer();
      } else {
        this.client.push(data, ts, frame);
        this.pumpClient();
      }
    });
  }

  gap(dir: Direction, length: number, ts: bigint, frame: number): void {
    this.guard(frame, () => {
      if (this.tls) {
        this.recorder.tlsGap(dir, length);
        return;
      }
      if (dir === 1) {
        this.server.gap(length, ts, frame);
        this.pumpServer();
      } else {
        this.client.gap(length, ts, frame);
        this.pumpClient();
      }
    });
  }

  end(_ts: bigint, frame: number): void {
    this.guard(frame, () => this.finish(frame));
  }

  // --- client side ---------------------------------------------------------

  private pumpClient(): void {
    while (!this.tls) {
      const held = this.heldBy();
      if (held !== null) {
        if (this.client.length <= MAX_HELD) return;
        this.giveUpHold(held);
        continue;
      }
      const item = this.client.readLine(MAX_LINE);
      if (item === null) return;
      if (item.kind === 'gap') {
        this.recorder.anomaly('stream.resync', `client: ${item.length} bytes missing; dropped ${item.partial.length} bytes of the command line they cut and resumed at the next command`, item.frame);
        continue;
      }
      if (item.ending === 'none') this.tooLong('client', item, this.client);
      const text = wireText(item.data);
      // After a gap, a line that does not start with a command is the tail of one the gap cut.
      if (item.resumed && !COMMANDS.has(splitCommand(text).verb)) continue;
      const last = this.pending[this.pending.length - 1];
      if (last?.sasl !== undefined && last.awaitingResponse) {
        this.saslResponse(last, text, item);
        continue;
      }
      if (last?.sasl !== undefined && last.oneSided && !last.saslOver && this.oneSidedSasl(last, text)) continue;
      this.command(text, item);
    }
  }

  /** The command whose reply must come before the client's next bytes can be read, or null. */
  private heldBy(): Pending | null {
    const last = this.pending[this.pending.length - 1];
    if (last === undefined || last.released || last.oneSided) return null;
    if (last.verb === 'STLS') return last; // RFC 2595 section 4: TLS starts right after +OK
    if (last.sasl !== undefined && !last.awaitingResponse) return last; // RFC 5034 section 4: "+ " or a final reply
    return null;
  }

  private giveUpHold(p: Pending): void {
    this.recorder.anomaly('reply.missing', `more than ${MAX_HELD / 1024} KiB of client data waited for the reply to ${p.verb}; assumed it succeeded`, this.last[0].frame, p.exchange);
    p.released = true;
    if (p.verb === 'STLS') {
      this.pending = this.pending.filter((q) => q !== p);
      this.startTls(p.exchange);
    }
  }

  private command(text: string, line: FramedLine): void {
    const { verb, word, args } = splitCommand(text);
    const spec = COMMANDS.get(verb);
    const command: Command = {
      ts: this.recorder.time(line.ts),
      frame: line.frame,
      verb,
      args: spec?.redact ? spec.redact(args, this.recorder) : args,
    };
    if (word !== verb) command.sent = word;
    const exchange = this.recorder.addExchange({ command, reply: null });
    if (spec === undefined) this.recorder.anomaly('command.unknown', `unknown command ${quote(verb)}`, line.frame, exchange);
    const p: Pending = {
      exchange, verb,
      body: spec?.body(args) ?? null,
      via: spec?.via ?? '',
      awaitingResponse: false,
      released: false,
      oneSided: this.serverBytes === 0,
      saslOver: false,
      sentAhead: this.pending.length > 0,
    };
    const attempt = this.auth.command(verb, args, exchange);
    if (attempt !== undefined) p.auth = attempt;
    if (verb === 'AUTH' && attempt !== undefined) {
      const { mechanism, initial } = splitAuth(args);
      p.sasl = new SaslSession(mechanism);
      if (initial !== null) this.learnUser(p, initial); // RFC 5034 section 4: the initial response
    }
    this.pending.push(p);
    // No server bytes at all so far: a one-sided capture; assume the +OK (what follows is TLS).
    if (verb === 'STLS' && p.oneSided) this.startTls(exchange);
  }

  private saslResponse(p: Pending, text: string, line: FramedLine): void {
    p.awaitingResponse = false;
    const interim = this.exchange(p).interim;
    const step = interim?.[interim.length - 1];
    const cancel = isCancel(text);
    if (step !== undefined) {
      step.response = { ts: this.recorder.time(line.ts), frame: line.frame, text: cancel ? text : this.recorder.secret(text) };
    }
    if (cancel) {
      if (p.auth !== undefined) p.auth.result = 'aborted'; // RFC 5034 section 4: "*" cancels, the server answers -ERR
      return;
    }
    this.learnUser(p, text);
  }

  /**
   * One-sided capture: no "+ " tells which client lines are SASL responses.
   * Lines after AUTH that are not POP3 commands are taken as responses.
   */
  private oneSidedSasl(p: Pending, text: string): boolean {
    if (COMMANDS.has(splitCommand(text).verb)) {
      p.saslOver = true;
      return false;
    }
    if (isCancel(text)) {
      if (p.auth !== undefined) p.auth.result = 'aborted';
      p.saslOver = true;
      return true;
    }
    this.learnUser(p, text);
    return true;
  }

  private learnUser(p: Pending, response: string): void {
    const user = p.sasl?.response(response) ?? null;
    if (user !== null && p.auth !== undefined && p.auth.user === null) p.auth.user = user;
  }

  // --- server side ---------------------------------------------------------

  private pumpServer(): void {
    while (!this.tls) {
      const mode = this.mode;
      if (mode.kind === 'message' && mode.reader.atLineStart) {
        // A body's bulk, whole lines at a time; a line starting with "." (stuffed, or the end) comes through readLine.
        const run = this.server.readWholeLines();
        if (run !== null) {
          mode.reader.lines(run);
          continue;
        }
      }
      const body = mode.kind === 'message' || mode.kind === 'skip-body';
      const item = this.server.readLine(body ? BODY_PIECE : MAX_LINE);
      if (item === null) return;
      if (item.kind === 'gap') {
        this.serverGap(item);
        continue;
      }
      switch (this.mode.kind) {
        case 'line': this.serverLine(item); break;
        case 'listing': this.listingLine(this.mode, item); break;
        case 'message': this.messageLine(this.mode, item); break;
        case 'skip-body': this.skipBodyLine(this.mode, item); break;
      }
    }
  }

  private serverLine(item: FramedLine): void {
    if (item.ending === 'none') this.tooLong('server', item, this.server);
    const text = wireText(item.data);
    const status = parseStatusLine(text);
    const head = this.pending[0];
    if (status === null) {
      const challenge = parseContinuation(text);
      if (challenge !== null && head?.sasl !== undefined) {
        this.serverAfterGap = false;
        this.continuation(head, challenge, text, item);
        return;
      }
      if (this.serverAfterGap || item.resumed) {
        // The rest of a multi-line reply whose status line the gap took: its "." ends it.
        if (text === '.' && head !== undefined && head.body !== null) {
          this.pending.shift();
          this.recorder.anomaly('reply.missing', `the reply to ${head.verb} was lost in a gap (only the end of its multi-line body arrived)`, item.frame, head.exchange);
        }
        return;
      }
      this.recorder.anomaly('reply.malformed', `server line is not +OK, -ERR or a continuation: ${quote(text)}`, item.frame, head?.exchange);
      return;
    }
    const afterGap = this.serverAfterGap;
    this.serverAfterGap = false;
    this.statusLine(status, text, item, afterGap);
  }

  private statusLine(status: StatusLine, text: string, item: FramedLine, afterGap = false): void {
    const reply: Reply = { ts: this.recorder.time(item.ts), frame: item.frame, lines: [text], text: status.text };
    if (status.code !== undefined) reply.code = status.code;
    reply.indicator = status.indicator;
    if (afterGap) this.dropLostReplies(item.frame);
    const head = this.pending.shift();
    if (!this.greeted) {
      this.greeted = true;
      if (head === undefined) {
        // RFC 1939 section 4: the greeting; an APOP timestamp (section 7) stays in its text.
        this.recorder.addExchange({ command: null, reply });
        return;
      }
    }
    if (head === undefined) {
      const ex = this.recorder.addExchange({ command: null, reply });
      this.recorder.anomaly('reply.unexpected', `${status.indicator} with no command waiting for it`, item.frame, ex);
      return;
    }
    this.exchange(head).reply = reply;
    // The next command went out before this reply came: the client pipelines (RFC 2449 section 6.6).
    if (!afterGap && this.pending[0]?.sentAhead === true) this.clientPipelines = true;
    if (head.auth !== undefined) this.auth.reply(head.verb, head.auth, status.indicator);
    if (status.indicator === '+OK') {
      if (head.verb === 'STLS') {
        this.startTls(head.exchange);
        return;
      }
      if (head.body === 'listing') {
        this.mode = { kind: 'listing', pending: head, reply, omitted: 0 };
      } else if (head.body === 'message') {
        const announced = head.verb === 'RETR' ? announcedOctets(status.text) : null;
        this.mode = { kind: 'message', pending: head, reader: new MessageReader(head.via, head.exchange, this.recorder.bodyLimit, this.recorder.bodyTap()), announced };
      }
    }
    this.pumpClient(); // the reply may release held client bytes (AUTH, STLS refused)
  }

  /**
   * The first reply after a gap in the server's lines. A client that has not
   * been seen pipelining sends a command only after the reply to the one
   * before, so every command pending before the last one it sent ahead was
   * answered inside the gap.
   */
  private dropLostReplies(frame: number): void {
    if (this.clientPipelines) return;
    let last = -1;
    this.pending.forEach((p, i) => { if (p.sentAhead) last = i; });
    for (const p of this.pending.splice(0, Math.max(0, last))) {
      this.recorder.anomaly('reply.missing', `the reply to ${p.verb} was lost in a gap`, frame, p.exchange);
    }
  }

  private continuation(head: Pending, challenge: string, text: string, item: FramedLine): void {
    const ex = this.exchange(head);
    (ex.interim ??= []).push({ reply: { ts: this.recorder.time(item.ts), frame: item.frame, lines: [text], text: challenge } });
    head.awaitingResponse = true;
    this.pumpClient();
  }

  private listingLine(mode: ListingMode, item: FramedLine): void {
    if (item.ending === 'none') this.tooLong('server', item, this.server);
    const text = wireText(item.data);
    if (text === '.' && item.ending !== 'none') {
      this.endListing(mode, item.frame);
      return;
    }
    const status = parseStatusLine(text);
    if (item.resumed && status === null) return; // perhaps the tail of a listing line the gap cut
    if (status !== null) {
      // Listing lines are "msg size", "msg uid", capability or mechanism names
      // (RFC 1939 section 5, RFC 2449 section 5): never a status line. Seeing one
      // means the server left out the "." (Zeek's pop3_bad-list-retr-crafted).
      this.recorder.anomaly('reply.malformed', `multi-line reply to ${mode.pending.verb} not ended by "."; ${status.indicator} taken as the next reply`, item.frame, mode.pending.exchange);
      this.endListing(mode, item.frame);
      this.statusLine(status, text, item);
      return;
    }
    if (mode.reply.lines.length <= MAX_LISTING_LINES) mode.reply.lines.push(text.startsWith('.') ? text.slice(1) : text);
    else mode.omitted++;
  }

  private endListing(mode: ListingMode, frame: number): void {
    if (mode.omitted > 0) {
      this.recorder.anomaly('reply.truncated', `${mode.pending.verb} reply: ${mode.omitted} lines past the first ${MAX_LISTING_LINES} counted, not kept`, frame, mode.pending.exchange);
    }
    this.mode = { kind: 'line' };
  }

  private messageLine(mode: MessageMode, item: FramedLine): void {
    if (!mode.reader.line(item.data, item.ending)) return;
    this.recorder.addMessage(mode.reader.body.finish(false));
    this.mode = { kind: 'line' };
  }

  /** After a gap inside a body: skip to its "." (or to a reply that must be the next one). */
  private skipBodyLine(mode: SkipBodyMode, item: FramedLine): void {
    const verb = mode.pending.verb;
    if (mode.lineStart && item.ending !== 'none') {
      if (item.data.length === 1 && item.data[0] === 0x2e) {
        this.recorder.anomaly('stream.resync', `skipped ${mode.skipped} bytes of the ${verb} body after the gap, up to its terminating "."`, item.frame, mode.pending.exchange);
        this.mode = { kind: 'line' };
        return;
      }
      const text = wireText(item.data);
      const status = parseStatusLine(text);
      // A body may hold "+OK" lines (RFC 1939 has no length), so a status line ends the
      // skip only when the announced size is reached or the client has sent a command
      // since the gap (a client that is not pipelining waits for the whole body).
      const sizeReached = mode.announced !== null && mode.wireBytes >= mode.announced;
      const askedSince = this.pending.some((p) => p.exchange >= mode.commandMark);
      if (status !== null && (sizeReached || askedSince)) {
        this.recorder.anomaly('stream.resync', `skipped ${mode.skipped} bytes of the ${verb} body after the gap; its terminating "." was lost, ${status.indicator} taken as the next reply`, item.frame, mode.pending.exchange);
        this.mode = { kind: 'line' };
        this.statusLine(status, text, item);
        return;
      }
    }
    const n = item.data.length + (item.ending === 'crlf' ? 2 : item.ending === 'lf' ? 1 : 0);
    mode.wireBytes += n;
    mode.skipped += n;
    mode.lineStart = item.ending !== 'none';
  }

  private serverGap(gap: GapMark): void {
    const mode = this.mode;
    switch (mode.kind) {
      case 'line':
        this.recorder.anomaly('stream.resync', `server: ${gap.length} bytes missing; dropped ${gap.partial.length} bytes of the line they cut and resumed at the next reply line`, gap.frame);
        this.serverAfterGap = true;
        return;
      case 'listing':
        this.recorder.anomaly('stream.resync', `server: ${gap.length} bytes missing inside the ${mode.pending.verb} listing; its lines may be incomplete`, gap.frame, mode.pending.exchange);
        return;
      case 'message': {
        mode.reader.tail(gap.partial);
        this.recorder.addMessage(mode.reader.body.finish(true));
        this.recorder.anomaly('message.partial', `${mode.pending.verb} body cut by a gap of ${gap.length} bytes after ${mode.reader.body.bytes} bytes`, gap.frame, mode.pending.exchange);
        this.mode = {
          kind: 'skip-body', pending: mode.pending, announced: mode.announced,
          wireBytes: mode.reader.wireBytes + gap.length, skipped: 0,
          lineStart: true, // a "." right after the gap is taken as the terminator
          commandMark: this.recorder.exchangeCount,
        };
        return;
      }
      case 'skip-body':
        mode.wireBytes += gap.partial.length + gap.length;
        mode.lineStart = true;
        return;
    }
  }

  // --- TLS, end ------------------------------------------------------------

  /** RFC 2595 section 4: after STLS's +OK both sides speak TLS; hand over what is queued and all that follows. */
  private startTls(exchange: number): void {
    this.tls = true;
    this.recorder.startTls(exchange);
    for (const dir of [0, 1] as const) {
      (dir === 0 ? this.client : this.server).drain(
        (unit) => this.recorder.tlsData(dir, unit.data, unit.ts, unit.frame),
        (length) => this.recorder.tlsGap(dir, length),
      );
    }
  }

  private finish(frame: number): void {
    if (!this.tls) this.flush(frame);
    if (this.serverBytes === 0) {
      // One-sided capture: one note for the session, not one per command.
      if (this.pending.length > 0) this.recorder.anomaly('reply.missing', `no server data in the capture: ${this.pending.length} commands have no reply`, frame);
    } else {
      for (const p of this.pending) this.recorder.anomaly('reply.missing', `${p.verb} got no reply before the connection ended`, frame, p.exchange);
    }
    this.pending = [];
  }

  /** What is left at the end: a last line without its line end, an unfinished body or listing. */
  private flush(frame: number): void {
    // A last line without its line end (the capture stopped, or the peer closed mid-line) is still read.
    if (this.client.length > 0 && this.heldBy() === null) {
      this.client.push(CRLF, this.last[0].ts, this.last[0].frame);
      this.pumpClient();
    }
    if (this.tls) return;
    if (this.mode.kind === 'message') {
      const mode = this.mode;
      const tail = this.server.takeRest();
      if (mode.reader.atLineStart && tail.length === 1 && tail[0] === 0x2e) {
        this.recorder.addMessage(mode.reader.body.finish(false)); // only the final CRLF is missing
      } else {
        mode.reader.tail(tail);
        this.recorder.addMessage(mode.reader.body.finish(true));
        this.recorder.anomaly('message.partial', `connection ended inside the ${mode.pending.verb} body after ${mode.reader.body.bytes} bytes`, frame, mode.pending.exchange);
      }
      this.mode = { kind: 'line' };
    } else if (this.server.length > 0 && this.mode.kind !== 'skip-body') {
      this.server.push(CRLF, this.last[1].ts, this.last[1].frame);
      this.pumpServer();
    }
    if (this.tls) return;
    if (this.mode.kind === 'listing') {
      const mode = this.mode;
      this.recorder.anomaly('reply.malformed', `multi-line reply to ${mode.pending.verb} not ended by "." before the connection ended`, frame, mode.pending.exchange);
      this.endListing(mode, frame);
    }
  }

  // --- helpers -------------------------------------------------------------

  private exchange(p: Pending): Exchange {
    return this.recorder.session.exchanges[p.exchange];
  }

  private tooLong(side: string, item: FramedLine, framer: LineFramer): void {
    this.recorder.anomaly('line.too_long', `${side} line longer than ${MAX_LINE} bytes: cut there, the rest skipped`, item.frame);
    framer.skipRestOfLine();
  }

  /** Runs one event; a bug must not take the whole read down, but it must show. */
  private guard(frame: number, fn: () => void): void {
    if (this.dead) return;
    try {
      fn();
    } catch (err) {
      this.dead = true;
      this.recorder.anomaly('protocol.mismatch', `POP3 decoding stopped: ${err instanceof Error ? err.message : String(err)}`, frame);
    }
  }
}

/** Wire text in an anomaly detail: quoted, and short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}
