/**
 * The IMAP machine (RFC 9051, RFC 3501): commands matched to their tagged
 * completions by tag, several in flight at once; untagged data kept with the
 * command it answers; continuation requests as interim steps; literals in
 * both directions, streamed (message literals into MessageBody); LOGIN and
 * AUTHENTICATE as auth attempts; STARTTLS and COMPRESS=DEFLATE hand-overs.
 *
 * Like Zeek's analysers it does not validate, it follows: a command changes
 * state speculatively, the server's reply confirms it. Client bytes whose
 * meaning depends on a reply not yet seen (after AUTHENTICATE, STARTTLS,
 * COMPRESS, or a synchronising literal's line) are held in the client framer
 * until that reply comes (see ClientHold).
 */
import type { Anomaly, AuthAttempt, Command, Exchange, Interim, Reply } from '../../session/model.js';
import type { SessionRecorder } from '../../session/recorder.js';
import type { Direction } from '../../tcp/types.js';
import type { ProtocolMachine } from '../machine.js';
import { MessageBody } from '../message-body.js';
import { isAppendMessage, isKnownVerb, parseCommandStart, renderArgs } from './commands.js';
import { ImapFramer, MAX_LINE, type GapEvent, type LineEvent, type LiteralEvent } from './framer.js';
import { INFLATE_MAX, SyncInflater } from './inflate.js';
import { renderParts, splitArgs, type LiteralMarker, type Part } from './literal.js';
import { LiteralSink } from './literal-sink.js';
import {
  continuationReply, isMessageLiteral, looksLikeResponse, parseStatusLine, statusReply,
} from './response.js';
import { saslUser } from '../sasl.js';

/** Untagged responses kept per exchange; past it the last slot counts the rest (a SEARCH over a huge mailbox, a FETCH 1:*). */
const MAX_UNTAGGED = 1000;
/**
 * Responses that answer no command (tagged ones for a tag not in flight,
 * continuation requests with nothing waiting) become exchanges of their own
 * up to MAX_UNMATCHED per session (each with a reply.unexpected, so they
 * leave room in the recorder's 1000 anomalies for the others), and
 * continuation requests are kept up to MAX_INTERIM per exchange; past that
 * they are counted (one reply.truncated), as a flood of them (a few bytes
 * each, and far fewer compressed) must not grow the session by hundreds of
 * bytes a line.
 */
const MAX_UNMATCHED = 100;
const MAX_INTERIM = 1000;
/** Client bytes held waiting for a reply before we assume it succeeded (preamble convention). */
const MAX_HELD = 64 * 1024;
/**
 * The bound on what one direction of a COMPRESS=DEFLATE connection may
 * inflate to: 64 MiB, or INFLATE_RATIO times the compressed bytes that
 * direction carried, whichever is more. DEFLATE expands up to about 1030:1,
 * so without a bound a 300 KB capture costs the work of 300 MB of IMAP lines
 * (bench/flood.ts compress). Real IMAP traffic compresses far less: message
 * text and base64 about 3:1, FETCH listings with their UIDs and sizes 9 to
 * 12:1, so the ratio term lets a real mailbox download of any size through,
 * while a bomb (300:1 and more) stops at 64 MiB, which is more than a real
 * session that compresses that well carries (a listing of some 2 million
 * messages) and takes about a second to decode. Past the bound the direction
 * is no longer inflated; the rest is counted (compress.limit).
 */
export const INFLATE_LIMIT = 64 * 1024 * 1024;
export const INFLATE_RATIO = 32;

export interface ImapOptions {
  /** Bytes one direction may inflate to regardless of its compressed size (default INFLATE_LIMIT; Infinity: no bound). */
  inflateLimit?: number;
  /** ... or this many times its compressed bytes, when that is more (default INFLATE_RATIO). */
  inflateRatio?: number;
}

type CompressedPiece = { data: Buffer; ts: bigint; frame: number } | { gap: number; frame: number };

/** A direction that reached the inflate bound: its anomaly, and the bytes after the bound not decoded. */
interface InflateCut {
  anomaly: Anomaly | null;
  /** Compressed bytes (and missing bytes) of the direction after the bound. */
  after: number;
  detail: string;
}

/** A command sent (or being sent) and not yet completed by its tagged response. */
interface Pending {
  index: number;
  exchange: Exchange;
  command: Command;
  tag: string;
  verb: string;
  parts: Part[];
  /** The whole command has been read (all its literals). */
  sent: boolean;
  auth: AuthAttempt | null;
  mechanism: string | null;
  /** Client SASL responses seen (the initial response counts). */
  saslStep: number;
  /** A "+" came: the next client line is a SASL response (RFC 9051 6.2.2). */
  awaitSasl: boolean;
  /** One-sided capture: client lines without a space are SASL responses. */
  blindSasl: boolean;
  /** IDLE ended by DONE (RFC 2177). */
  idleDone: boolean;
}

/** Why client bytes wait for the server. */
interface ClientHold {
  kind: 'literal' | 'auth' | 'starttls' | 'compress';
  pending: Pending;
  /** For 'literal': the literal the client may send after "+". */
  marker?: LiteralMarker;
}

/** A server response being read (several lines when it carries literals). */
interface ServerUnit {
  kind: 'untagged' | 'tagged';
  firstLine: string;
  ts: bigint;
  frame: number;
  /** The first response of the connection (a greeting if it is `* OK|PREAUTH|BYE`). */
  first: boolean;
  parts: Part[];
  /** The command an untagged response belongs to (null: unsolicited). */
  target: Pending | null;
  /** The exchange a message literal is recorded against. */
  owner: number | null;
}

export class ImapMachine implements ProtocolMachine {
  private readonly framers: [ImapFramer, ImapFramer] = [new ImapFramer(), new ImapFramer()];
  private readonly inflaters: [SyncInflater | null, SyncInflater | null] = [null, null];
  /** A direction we cannot decode any more (inflate error, inflate bound). */
  private readonly stopped: [boolean, boolean] = [false, false];
  /** Compressed bytes handed to each inflater, and what they inflated to. */
  private readonly compressed: [number, number] = [0, 0];
  private readonly inflated: [number, number] = [0, 0];
  /** Set when a direction reached the inflate bound. */
  private readonly cut: [InflateCut | null, InflateCut | null] = [null, null];
  /** Compressed bytes waiting to be inflated (the hand-over's, and each chunk while it is inflated); empty between calls. */
  private readonly toInflate: [CompressedPiece[], CompressedPiece[]] = [[], []];
  private inflating = false;
  /** Exchanges made for responses that answer no command (see MAX_UNMATCHED). */
  private unmatched = 0;
  /** What was counted instead of kept, by kind: the anomaly that says so, completed with the count at the end. */
  private readonly notKept = new Map<Pending | 'unmatched', { anomaly: Anomaly | null; detail: string; count: number }>();
  private readonly inflateLimit: number;
  private readonly inflateRatio: number;
  private readonly bareLf: [boolean, boolean] = [false, false];
  private readonly skipped: [{ lines: number; bytes: number; gap: number }, { lines: number; bytes: number; gap: number }] = [
    { lines: 0, bytes: 0, gap: 0 }, { lines: 0, bytes: 0, gap: 0 },
  ];
  private inFlight: Pending[] = [];
  private hold: ClientHold | null = null;
  /** The command whose lines and literals are being read. */
  private clientCmd: Pending | null = null;
  private clientLiteral: LiteralSink | null = null;
  private serverUnit: ServerUnit | null = null;
  private serverLiteral: LiteralSink | null = null;
  private serverSeen = false;
  private greetingSeen = false;
  private byeSeen = false;
  private tls = false;
  /** Exchange (command null) collecting unsolicited untagged data, while no other exchange came after it. */
  private loose: number | null = null;
  private pumping = false;

  constructor(private readonly recorder: SessionRecorder, options: ImapOptions = {}) {
    this.inflateLimit = options.inflateLimit ?? INFLATE_LIMIT;
    this.inflateRatio = options.inflateRatio ?? INFLATE_RATIO;
  }

  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    try {
      if (data.length === 0) return;
      if (dir === 1) this.serverSeen = true;
      if (this.tls) {
        this.recorder.tlsData(dir, data, ts, frame);
        return;
      }
      if (this.stopped[dir]) {
        this.countCut(dir, data.length);
        return;
      }
      if (this.inflaters[dir] === null) {
        this.framers[dir].push(data, ts, frame);
        this.checkHeld(frame);
        this.pump();
      } else {
        this.toInflate[dir].push({ data, ts, frame });
      }
      this.inflatePending();
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
      if (this.stopped[dir]) {
        this.countCut(dir, length);
        return;
      }
      if (this.inflaters[dir] !== null) {
        // A DEFLATE stream cannot be picked up again: its window is gone with the lost bytes.
        this.stopDirection(dir, `${length} bytes of the compressed ${dir === 0 ? 'client' : 'server'} stream are missing: cannot inflate past a gap`, frame);
        return;
      }
      this.framers[dir].gap(length, ts, frame);
      this.pump();
      this.inflatePending();
    } catch (err) {
      this.internalError(err, frame);
    }
  }

  end(ts: bigint, frame: number): void {
    try {
      this.pump();
      this.inflatePending();
      for (const n of this.notKept.values()) if (n.anomaly !== null) n.anomaly.detail = `${n.detail} (${n.count} not kept)`;
      for (const cut of this.cut) {
        if (cut?.anomaly && cut.after > 0) cut.anomaly.detail = `${cut.detail}; ${cut.after} compressed bytes after it not decoded`;
      }
      this.abandonServerUnit(frame, 'the connection ended');
      this.abandonClientCommand(frame, 'the connection ended');
      const missing = this.inFlight.filter((p) => p.exchange.reply === null);
      // After BYE the server closes as announced; after a compress error the replies may have come, undecoded.
      if (missing.length > 0 && !this.byeSeen && !this.stopped[1]) {
        if (this.serverSeen) {
          for (const p of missing) {
            this.recorder.anomaly('reply.missing', `no tagged response to ${p.tag} ${p.verb} before the connection ended`, frame, p.index);
          }
        } else {
          this.recorder.anomaly('reply.missing', `no server data in the capture: ${missing.length} command(s) without replies`, frame);
        }
      }
      this.inFlight = [];
      for (const inf of this.inflaters) inf?.close();
    } catch (err) {
      this.internalError(err, frame);
    }
    void ts;
  }

  // ---- the pump: server first (it never waits), then the client unless held ----

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.pumpServer();
      this.pumpClient();
    } finally {
      this.pumping = false;
    }
  }

  private pumpServer(): void {
    const framer = this.framers[1];
    while (!this.tls && !this.stopped[1]) {
      // Untagged lines that would only be counted are counted by the framer, unread.
      const full = this.fullUntagged();
      framer.skipUntagged = full !== null;
      const ev = framer.next();
      if (full !== null) {
        const n = framer.takeSkipped();
        if (n > 0) this.dropUntagged(full, n);
      }
      if (ev === null) return;
      const held = this.hold;
      if (ev.kind === 'line') this.serverLine(ev);
      else if (ev.kind === 'literal') this.serverLiteralData(ev);
      else this.serverGap(ev);
      // A reply that released the client: let the client's bytes go first, as they did on the wire.
      if (held !== null && this.hold === null) this.pumpClient();
    }
  }

  private pumpClient(): void {
    while (this.hold === null && !this.tls && !this.stopped[0]) {
      const ev = this.framers[0].next();
      if (ev === null) return;
      if (ev.kind === 'line') this.clientLine(ev);
      else if (ev.kind === 'literal') this.clientLiteralData(ev);
      else this.clientGap(ev);
    }
  }

  // ---- client side ----

  private clientLine(ev: LineEvent): void {
    this.lineChecks(0, ev);
    if (ev.afterGap) {
      if (!this.clientLineParses(ev.text)) {
        this.countSkipped(0, ev);
        return;
      }
      this.resynced(0, ev.frame, 'command');
    }
    const cmd = this.clientCmd;
    if (cmd !== null) {
      // The rest of a command after a literal (RFC 9051 4.3: the command goes on after the octets).
      this.appendText(cmd.parts, ev);
      this.afterCommandLine(cmd, ev);
      return;
    }
    const sasl = this.inFlight.find((p) => p.awaitSasl || (p.blindSasl && !ev.text.includes(' ')));
    if (sasl !== undefined) {
      this.saslResponse(sasl, ev);
      return;
    }
    if (ev.text.toUpperCase() === 'DONE') {
      this.done(ev);
      return;
    }
    if (ev.text === '') return; // an empty line between commands says nothing
    this.newCommand(ev);
  }

  private clientLineParses(text: string): boolean {
    if (text.toUpperCase() === 'DONE') return this.inFlight.some((p) => p.verb === 'IDLE' && !p.idleDone);
    const start = parseCommandStart(text);
    return start.verb !== '' && isKnownVerb(start.verb) && /^[\x21-\x7e]+$/.test(start.tag);
  }

  private newCommand(ev: LineEvent): void {
    for (const p of this.inFlight) p.blindSasl = false;
    const head = ev.marker ? ev.text.slice(0, ev.marker.start) : ev.text;
    const start = parseCommandStart(head);
    const command: Command = { ts: this.recorder.time(ev.ts), frame: ev.frame, tag: start.tag, verb: start.verb, args: '' };
    if (start.word !== start.verb) command.sent = start.word;
    const exchange: Exchange = { command, reply: null };
    const index = this.recorder.addExchange(exchange);
    this.loose = null;
    const p: Pending = {
      index, exchange, command, tag: start.tag, verb: start.verb, parts: [start.rest], sent: false,
      auth: null, mechanism: null, saslStep: 0, awaitSasl: false, blindSasl: false, idleDone: false,
    };
    this.inFlight.push(p);
    if (start.verb === '' || !isKnownVerb(start.verb)) {
      this.recorder.anomaly('command.unknown', start.verb === '' ? `no command after the tag ${start.tag}` : `unknown command ${start.verb}`, ev.frame, index);
    }
    this.afterCommandLine(p, ev);
  }

  /** A command line has been added to p.parts: go on into its literal, or finish the command. */
  private afterCommandLine(p: Pending, ev: LineEvent): void {
    this.updateArgs(p);
    if (ev.badMarker !== null) this.recorder.anomaly('literal.bad_size', ev.badMarker, ev.frame, p.index);
    const marker = ev.marker;
    if (marker === null) {
      this.clientCmd = null;
      this.commandSent(p, ev.frame);
      return;
    }
    this.clientCmd = p;
    const message = isAppendMessage(p.verb, p.parts);
    this.clientLiteral = new LiteralSink(marker, message ? new MessageBody('imap.append', p.index, this.recorder.bodyLimit, this.recorder.bodyTap()) : null);
    p.parts.push(this.clientLiteral.part);
    if (marker.sync && this.serverSeen) {
      // RFC 9051 7.5: the client sends a synchronising literal only after "+" (a tagged NO/BAD refuses it).
      this.hold = { kind: 'literal', pending: p, marker };
      return;
    }
    this.startClientLiteral(marker.size, ev.frame);
  }

  private startClientLiteral(size: number, frame: number): void {
    if (size === 0) {
      this.finishClientLiteral(frame);
      return;
    }
    this.framers[0].startLiteral(size);
  }

  private clientLiteralData(ev: LiteralEvent): void {
    const sink = this.clientLiteral;
    if (sink === null) return;
    sink.write(ev.data);
    if (ev.left === 0) this.finishClientLiteral(ev.frame);
  }

  private finishClientLiteral(frame: number): void {
    const sink = this.clientLiteral;
    this.clientLiteral = null;
    if (sink === null) return;
    sink.close(this.recorder, frame);
    if (this.clientCmd !== null) this.updateArgs(this.clientCmd);
  }

  /** The whole command is in: what it means for the state. */
  private commandSent(p: Pending, frame: number): void {
    p.sent = true;
    this.updateArgs(p);
    if (p.exchange.reply !== null) return; // refused while it was being sent
    const args = splitArgs(p.parts);
    switch (p.verb) {
      case 'LOGIN': {
        // RFC 9051 6.2.3: the user name is the first astring.
        p.auth = this.recorder.addAuth('LOGIN', args[0]?.value ?? null, p.index);
        break;
      }
      case 'AUTHENTICATE': {
        p.mechanism = (args[0]?.value ?? '').toUpperCase();
        p.auth = this.recorder.addAuth(p.mechanism, null, p.index);
        const ir = args[1]?.value;
        if (ir !== undefined && ir !== null) {
          // RFC 4959: the initial response is the first client response.
          p.auth.user = saslUser(p.mechanism, 0, ir);
          p.saslStep = 1;
        }
        this.holdFor('auth', p, frame);
        break;
      }
      case 'STARTTLS':
        this.holdFor('starttls', p, frame);
        break;
      case 'COMPRESS':
        this.holdFor('compress', p, frame);
        break;
      default:
        break;
    }
  }

  /** Holds client bytes until the reply to p (or assumes success at once when the server is silent). */
  private holdFor(kind: ClientHold['kind'], p: Pending, frame: number): void {
    const hold: ClientHold = { kind, pending: p };
    if (this.serverSeen) this.hold = hold;
    else this.assumeSuccess(hold, frame);
  }

  /** No reply will decide (one-sided capture, or too much waiting): carry on as if the server said yes. */
  private assumeSuccess(hold: ClientHold, frame: number): void {
    this.hold = null;
    switch (hold.kind) {
      case 'literal':
        this.startClientLiteral(hold.marker!.size, frame);
        break;
      case 'auth':
        hold.pending.blindSasl = true;
        break;
      case 'starttls':
        this.startTls(hold.pending, frame);
        break;
      case 'compress':
        this.startCompress(frame);
        break;
    }
  }

  private checkHeld(frame: number): void {
    const hold = this.hold;
    if (hold === null || this.framers[0].pending <= MAX_HELD) return;
    this.recorder.anomaly('reply.missing',
      `no reply to ${hold.pending.tag} ${hold.pending.verb} while ${this.framers[0].pending} client bytes waited: assumed it succeeded`,
      frame, hold.pending.index);
    this.assumeSuccess(hold, frame);
  }

  private saslResponse(p: Pending, ev: LineEvent): void {
    p.awaitSasl = false;
    const cancel = ev.text === '*';
    const interim = p.exchange.interim?.[p.exchange.interim.length - 1];
    const response = { ts: this.recorder.time(ev.ts), frame: ev.frame, text: cancel ? '*' : this.recorder.secret(ev.text) };
    if (interim !== undefined && interim.response === undefined) interim.response = response;
    if (p.auth !== null) {
      if (cancel) p.auth.result = 'aborted'; // RFC 9051 6.2.2: "*" cancels; the server answers BAD
      else if (p.auth.user === null) p.auth.user = saslUser(p.mechanism ?? '', p.saslStep, ev.text);
    }
    p.saslStep++;
    if (!p.blindSasl && p.exchange.reply === null) this.holdFor('auth', p, ev.frame);
  }

  /** DONE ends IDLE (RFC 2177 3); it is not a command, its answer is IDLE's tagged OK. */
  private done(ev: LineEvent): void {
    const idle = this.inFlight.find((p) => p.verb === 'IDLE' && !p.idleDone);
    if (idle === undefined) {
      this.recorder.anomaly('command.unknown', 'DONE without IDLE', ev.frame);
      return;
    }
    idle.idleDone = true;
    const interim = idle.exchange.interim?.[idle.exchange.interim.length - 1];
    if (interim !== undefined && interim.response === undefined) {
      interim.response = { ts: this.recorder.time(ev.ts), frame: ev.frame, text: ev.text };
    }
  }

  private clientGap(ev: GapEvent): void {
    const cmd = this.clientCmd;
    const sink = this.clientLiteral;
    if (ev.literalMissing > 0 && sink !== null) {
      sink.lost(ev.literalMissing);
      this.recorder.anomaly('stream.resync', `${ev.literalMissing} bytes of a {${sink.part.size}} literal lost in a gap: counted, reading on`, ev.frame, cmd?.index);
      if (ev.literalLeft === 0) this.finishClientLiteral(ev.frame);
    }
    if (!ev.lost) return;
    this.abandonClientCommand(ev.frame, `a gap of ${ev.length} bytes`);
    this.skipped[0].bytes += ev.lineDropped;
    this.skipped[0].gap += ev.length;
  }

  /** A command cut short (gap, end): keep what we have of it. */
  private abandonClientCommand(frame: number, why: string): void {
    if (this.clientLiteral !== null) {
      const sink = this.clientLiteral;
      this.clientLiteral = null;
      sink.cut();
      sink.close(this.recorder, frame, why);
    }
    const cmd = this.clientCmd;
    this.clientCmd = null;
    if (cmd !== null) {
      if (this.hold?.pending === cmd) this.hold = null;
      this.updateArgs(cmd);
      cmd.sent = true;
    }
  }

  private updateArgs(p: Pending): void {
    p.command.args = renderArgs(p.verb, p.parts, (s) => this.recorder.secret(s), MAX_LINE);
  }

  // ---- server side ----

  private serverLine(ev: LineEvent): void {
    this.lineChecks(1, ev);
    if (ev.afterGap) {
      if (!looksLikeResponse(ev.text, new Set(this.inFlight.map((p) => p.tag)))) {
        this.countSkipped(1, ev);
        return;
      }
      this.resynced(1, ev.frame, 'response');
    }
    const unit = this.serverUnit;
    if (unit !== null) {
      this.appendText(unit.parts, ev);
      this.afterResponseLine(unit, ev);
      return;
    }
    const first = !this.greetingSeen;
    this.greetingSeen = true;
    // Tags never contain "+" (RFC 9051 9, tag): a line starting with it is a continuation request.
    if (ev.text.startsWith('+')) {
      this.continuation(ev);
      return;
    }
    const kind = ev.text.startsWith('*') ? 'untagged' : 'tagged';
    const target = kind === 'untagged' ? this.untaggedTarget() : null;
    if (ev.marker === null) {
      // A response of one line, the common case (and all of a FETCH FLAGS flood): no unit to build.
      if (ev.badMarker !== null) this.recorder.anomaly('literal.bad_size', ev.badMarker, ev.frame, target?.index);
      const text = ev.text.length > MAX_LINE ? renderParts([ev.text], MAX_LINE) : ev.text;
      this.response(kind, text, ev.ts, ev.frame, first, target, target?.index ?? null);
      return;
    }
    const fresh: ServerUnit = {
      kind, firstLine: ev.text, ts: ev.ts, frame: ev.frame, first, parts: [], target, owner: target?.index ?? null,
    };
    this.appendText(fresh.parts, ev);
    this.afterResponseLine(fresh, ev);
  }

  /** Untagged data belongs to IDLE while it runs (RFC 2177), else to the oldest command in flight. */
  private untaggedTarget(): Pending | null {
    const inFlight = this.inFlight;
    for (let i = 0; i < inFlight.length; i++) if (inFlight[i].verb === 'IDLE') return inFlight[i];
    return inFlight.length > 0 ? inFlight[0] : null;
  }

  private afterResponseLine(unit: ServerUnit, ev: LineEvent): void {
    if (ev.badMarker !== null) this.recorder.anomaly('literal.bad_size', ev.badMarker, ev.frame, unit.owner ?? undefined);
    const marker = ev.marker;
    if (marker === null) {
      this.serverUnit = null;
      this.responseDone(unit);
      return;
    }
    this.serverUnit = unit;
    const before = ev.text.slice(0, marker.start);
    let body: MessageBody | null = null;
    if (marker.size > 0 && unit.kind === 'untagged' && isMessageLiteral(unit.firstLine, before)) {
      unit.owner ??= this.looseExchange();
      body = new MessageBody('imap.fetch', unit.owner, this.recorder.bodyLimit, this.recorder.bodyTap());
    }
    this.serverLiteral = new LiteralSink(marker, body);
    unit.parts.push(this.serverLiteral.part);
    if (marker.size === 0) this.finishServerLiteral(ev.frame);
    else this.framers[1].startLiteral(marker.size);
  }

  private serverLiteralData(ev: LiteralEvent): void {
    const sink = this.serverLiteral;
    if (sink === null) return;
    sink.write(ev.data);
    if (ev.left === 0) this.finishServerLiteral(ev.frame);
  }

  private finishServerLiteral(frame: number): void {
    const sink = this.serverLiteral;
    this.serverLiteral = null;
    if (sink !== null) sink.close(this.recorder, frame);
  }

  private serverGap(ev: GapEvent): void {
    const sink = this.serverLiteral;
    if (ev.literalMissing > 0 && sink !== null) {
      sink.part.missing += ev.literalMissing;
      this.recorder.anomaly('stream.resync', `${ev.literalMissing} bytes of a {${sink.part.size}} literal lost in a gap: counted, reading on`, ev.frame, this.serverUnit?.owner ?? undefined);
      if (ev.literalLeft === 0) this.finishServerLiteral(ev.frame);
    }
    if (!ev.lost) return;
    this.abandonServerUnit(ev.frame, `a gap of ${ev.length} bytes`);
    this.skipped[1].bytes += ev.lineDropped;
    this.skipped[1].gap += ev.length;
  }

  /** A response cut short: record what we have of it. */
  private abandonServerUnit(frame: number, why: string): void {
    if (this.serverLiteral !== null) {
      const sink = this.serverLiteral;
      this.serverLiteral = null;
      sink.cut();
      sink.close(this.recorder, frame, why);
    }
    const unit = this.serverUnit;
    this.serverUnit = null;
    if (unit !== null && unit.kind === 'untagged') this.responseDone(unit);
  }

  /** A whole response has been read. */
  private responseDone(unit: ServerUnit): void {
    this.response(unit.kind, renderParts(unit.parts, MAX_LINE), unit.ts, unit.frame, unit.first, unit.target, unit.owner);
  }

  /**
   * A whole response, as text. This runs once per response line, so it does
   * only what the line needs: an untagged line's status is parsed only when
   * it can be a greeting or a BYE, and its time is formatted only when it
   * becomes a reply.
   */
  private response(kind: ServerUnit['kind'], text: string, ts: bigint, frame: number, first: boolean, target: Pending | null, owner: number | null): void {
    if (kind === 'tagged') {
      this.tagged(text, ts, frame);
      return;
    }
    const status = first || mayBeBye(text) ? parseStatusLine(text) : null;
    // RFC 9051 7.1: the greeting is an untagged OK, PREAUTH or BYE.
    if (first && status !== null && (status.status === 'OK' || status.status === 'PREAUTH' || status.status === 'BYE')) {
      this.recorder.addExchange({ command: null, reply: statusReply(text, status, this.recorder.time(ts), frame) });
      this.loose = null;
      if (status.status === 'BYE') this.byeSeen = true;
      return;
    }
    if (status?.status === 'BYE') this.byeSeen = true;
    if (target !== null) {
      this.addUntagged(target.exchange, text);
      return;
    }
    if (status?.status === 'BYE') {
      // RFC 9051 7.1.5: the server may say BYE at any time (autologout, shutdown).
      this.recorder.addExchange({ command: null, reply: statusReply(text, status, this.recorder.time(ts), frame) });
      this.loose = null;
      return;
    }
    // RFC 3501 5.2: the server may send data nobody asked for at any time.
    const index = owner ?? this.looseExchange();
    this.addUntagged(this.recorder.session.exchanges[index], text);
  }

  /** Untagged responses not kept, per exchange (its last slot says how many). */
  private readonly untaggedDropped = new WeakMap<Exchange, number>();
  private dropping: Exchange | null = null;
  private dropped = 0;

  /** Adds one untagged response; past the bound the last slot counts what was not kept. */
  private addUntagged(exchange: Exchange, text: string): void {
    const list = (exchange.untagged ??= []);
    if (list.length < MAX_UNTAGGED - 1) {
      list.push(text);
      return;
    }
    this.dropUntagged(exchange, 1);
  }

  /** n untagged responses of a full exchange not kept: its last slot counts them. */
  private dropUntagged(exchange: Exchange, n: number): void {
    // A flood goes to one exchange: its count is at hand without the map.
    if (this.dropping !== exchange) {
      if (this.dropping !== null) this.untaggedDropped.set(this.dropping, this.dropped);
      this.dropping = exchange;
      this.dropped = this.untaggedDropped.get(exchange) ?? 0;
    }
    this.dropped += n;
    exchange.untagged![MAX_UNTAGGED - 1] = `… ${this.dropped} more untagged responses not kept`;
  }

  /**
   * The exchange the next server line goes to if it is a plain untagged
   * response, when that exchange keeps no more of them (so the line would
   * only be counted); else null.
   */
  private fullUntagged(): Exchange | null {
    if (this.serverUnit !== null || !this.greetingSeen) return null;
    const target = this.untaggedTarget();
    let exchange: Exchange | undefined;
    if (target !== null) exchange = target.exchange;
    else if (this.loose !== null && this.loose === this.recorder.exchangeCount - 1) exchange = this.recorder.session.exchanges[this.loose];
    return exchange?.untagged?.length === MAX_UNTAGGED ? exchange : null;
  }

  private looseExchange(): number {
    if (this.loose !== null && this.loose === this.recorder.exchangeCount - 1) return this.loose;
    this.loose = this.recorder.addExchange({ command: null, reply: null });
    return this.loose;
  }

  private tagged(text: string, at: bigint, frame: number): void {
    // The tag is what comes before the first space, parsed or not.
    const sp = text.indexOf(' ');
    const tag = sp < 0 ? text : text.slice(0, sp);
    const p = this.inFlight.find((c) => c.tag === tag);
    if (p === undefined && this.unmatched >= MAX_UNMATCHED) {
      this.countNotKept('unmatched', `more than ${MAX_UNMATCHED} responses answered no command: the rest were counted, not kept`, frame);
      return;
    }
    const parsed = parseStatusLine(text);
    const ts = this.recorder.time(at);
    let reply: Reply;
    if (parsed === null) {
      this.recorder.anomaly('reply.malformed', `not a status response: ${text.slice(0, 80)}`, frame);
      reply = { ts, frame, lines: [text], text, tag };
    } else {
      reply = statusReply(text, parsed, ts, frame);
      if (parsed.status !== 'OK' && parsed.status !== 'NO' && parsed.status !== 'BAD') {
        this.recorder.anomaly('reply.malformed', `${parsed.status} is not a tagged status (RFC 9051 7.1)`, frame);
      }
    }
    if (p === undefined) {
      this.unmatched++;
      const index = this.recorder.addExchange({ command: null, reply });
      this.loose = null;
      this.recorder.anomaly('reply.unexpected', `tagged response for ${tag}, which no command in flight has`, frame, index);
      return;
    }
    this.complete(p, reply, frame);
  }

  /** The tagged response completes p. */
  private complete(p: Pending, reply: Reply, frame: number): void {
    p.exchange.reply = reply;
    this.inFlight.splice(this.inFlight.indexOf(p), 1);
    const ok = reply.status === 'OK';
    if (p.auth !== null && p.auth.result !== 'aborted') p.auth.result = ok ? 'success' : 'failure';
    const hold = this.hold;
    if (hold !== null && hold.pending === p) {
      this.hold = null;
      if (hold.kind === 'literal' && this.clientCmd === p) {
        // RFC 9051 7.5: a tagged response instead of "+" refuses the literal; the client will not send it.
        if (this.clientLiteral !== null) p.parts.splice(p.parts.indexOf(this.clientLiteral.part), 1);
        const last = p.parts[p.parts.length - 1];
        if (typeof last === 'string') p.parts[p.parts.length - 1] = last.trimEnd();
        this.clientLiteral = null;
        this.clientCmd = null;
        p.sent = true;
        this.updateArgs(p);
      }
    }
    p.awaitSasl = false;
    if (!ok) return;
    if (hold?.pending === p && hold.kind === 'starttls') this.startTls(p, frame);
    if (hold?.pending === p && hold.kind === 'compress') this.startCompress(frame);
  }

  /** `+ ...`: the client may go on (RFC 9051 7.5). */
  private continuation(ev: LineEvent): void {
    const hold = this.hold;
    const target = hold?.pending ?? this.inFlight.find((p) => p.verb === 'IDLE') ?? this.inFlight[this.inFlight.length - 1];
    let keep = true;
    if (target === undefined && this.unmatched >= MAX_UNMATCHED) {
      this.countNotKept('unmatched', `more than ${MAX_UNMATCHED} responses answered no command: the rest were counted, not kept`, ev.frame);
      return;
    }
    if (target !== undefined && (target.exchange.interim?.length ?? 0) >= MAX_INTERIM) {
      this.countNotKept(target, `more than ${MAX_INTERIM} continuation requests for one command: the rest were counted, not kept`, ev.frame, target.index);
      keep = false;
    }
    const reply = keep ? continuationReply(ev.text, this.recorder.time(ev.ts), ev.frame) : null;
    if (hold !== null) {
      if (reply !== null) pushInterim(hold.pending.exchange, { reply });
      if (hold.kind === 'literal') {
        this.hold = null;
        this.startClientLiteral(hold.marker!.size, ev.frame);
      } else if (hold.kind === 'auth') {
        this.hold = null;
        hold.pending.awaitSasl = true;
      }
      return;
    }
    if (target !== undefined) {
      if (reply !== null) pushInterim(target.exchange, { reply });
      return;
    }
    this.unmatched++;
    const index = this.recorder.addExchange({ command: null, reply: reply! });
    this.loose = null;
    this.recorder.anomaly('reply.unexpected', 'continuation request with no command waiting for it', ev.frame, index);
  }

  /** One more response counted instead of kept; the first of a kind records the anomaly that says so. */
  private countNotKept(key: Pending | 'unmatched', detail: string, frame: number, exchange?: number): void {
    let n = this.notKept.get(key);
    if (n === undefined) {
      n = { anomaly: this.recorder.anomaly('reply.truncated', detail, frame, exchange), detail, count: 0 };
      this.notKept.set(key, n);
    }
    n.count++;
  }

  // ---- hand-overs ----

  /** RFC 9051 6.2.1: TLS starts right after the CRLF of the tagged OK; every byte from here is TLS. */
  private startTls(p: Pending, frame: number): void {
    this.abandonServerUnit(frame, 'STARTTLS');
    this.abandonClientCommand(frame, 'STARTTLS');
    this.tls = true;
    this.recorder.startTls(p.index);
    for (const dir of [0, 1] as const) {
      for (const piece of this.framers[dir].drain()) {
        if ('gap' in piece) this.recorder.tlsGap(dir, piece.gap);
        else this.recorder.tlsData(dir, piece.data, piece.ts, piece.frame);
      }
    }
  }

  /** RFC 4978 3: after the tagged OK both directions are raw DEFLATE, starting right after that CRLF. */
  private startCompress(frame: number): void {
    // Called while the server's OK is decoded: the bytes after it are inflated once that is done (inflatePending).
    for (const dir of [0, 1] as const) {
      if (this.inflaters[dir] !== null) continue;
      for (const piece of this.framers[dir].drain()) this.toInflate[dir].push('gap' in piece ? { gap: piece.gap, frame } : piece);
      this.inflaters[dir] = new SyncInflater();
    }
  }

  /**
   * Inflates what waits in toInflate, a step at a time, each step decoded
   * before the next (so memory and work stay bounded by the step, whatever
   * the ratio), until nothing waits; the hand-over of either direction may
   * add more while it runs.
   */
  private inflatePending(): void {
    if (this.inflating) return;
    this.inflating = true;
    try {
      for (;;) {
        const dir: Direction = this.toInflate[0].length > 0 ? 0 : 1;
        const piece = this.toInflate[dir].shift();
        if (piece === undefined) break;
        if (this.tls) continue;
        if (this.stopped[dir]) this.countCut(dir, 'gap' in piece ? piece.gap : piece.data.length);
        else if ('gap' in piece) this.stopDirection(dir, `${piece.gap} bytes of the compressed stream are missing`, piece.frame);
        else this.inflatePiece(dir, piece.data, piece.ts, piece.frame);
      }
    } finally {
      this.inflating = false;
    }
  }

  private inflatePiece(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    const inflater = this.inflaters[dir]!;
    this.compressed[dir] += data.length;
    let rest = data;
    for (;;) {
      const allowed = Math.max(this.inflateLimit, this.inflateRatio * this.compressed[dir]) - this.inflated[dir];
      // INFLATE_MAX bytes a step, each decoded before the next: one chunk cannot expand without bound before it is framed.
      // One byte more than allowed: if it comes, the stream goes past the bound.
      const step = Math.min(allowed + 1, INFLATE_MAX);
      let plain: Buffer;
      try {
        plain = inflater.inflate(rest, step);
      } catch (err) {
        this.stopDirection(dir, `${dir === 0 ? 'client' : 'server'} DEFLATE stream: ${(err as Error).message}`, frame);
        return;
      }
      rest = rest.subarray(inflater.consumed);
      const over = plain.length > allowed;
      if (over) {
        plain = plain.subarray(0, allowed);
        this.reachedBound(dir, allowed, rest.length, frame);
      }
      this.inflated[dir] += plain.length;
      if (plain.length > 0) {
        // A view of the inflater's buffer, valid through the next step: the framer copies what it still waits on when the next one comes.
        this.framers[dir].push(plain, ts, frame);
        this.checkHeld(frame);
        this.pump();
      }
      if (over) {
        this.stopCut(frame);
        return;
      }
      if (this.stopped[dir] || this.tls) {
        this.countCut(dir, rest.length);
        return;
      }
      // Room left over: zlib took all it could from this input. Else more may come, from the input left or from zlib's own.
      if (plain.length < step) return;
    }
  }

  /** A direction inflated to its bound: one anomaly; what comes after is counted (its detail says how much at the end). */
  private reachedBound(dir: Direction, allowed: number, left: number, frame: number): void {
    const detail = `${dir === 0 ? 'client' : 'server'} COMPRESS=DEFLATE stream reached the inflate bound at ${this.inflated[dir] + allowed} bytes `
      + `(${this.compressed[dir] - left} compressed; the bound is ${this.inflateLimit} bytes or ${this.inflateRatio} times the compressed bytes, whichever is more): `
      + `not inflated further, no further ${dir === 0 ? 'commands' : 'responses'} decoded`;
    this.cut[dir] = { anomaly: this.recorder.anomaly('compress.limit', detail, frame), after: left, detail };
  }

  /** Counts bytes of a direction past its inflate bound (nothing for other stopped directions). */
  private countCut(dir: Direction, bytes: number): void {
    const cut = this.cut[dir];
    if (cut !== null) cut.after += bytes;
  }

  /**
   * A direction that reached the inflate bound, once what was inflated up to
   * it has been decoded: decoding stops there, as after a compress error.
   */
  private stopCut(frame: number): void {
    for (const dir of [0, 1] as const) {
      if (this.cut[dir] === null || this.stopped[dir]) continue;
      this.stopped[dir] = true;
      this.inflaters[dir]?.close();
      if (dir === 0) this.abandonClientCommand(frame, 'the inflate bound');
      else this.abandonServerUnit(frame, 'the inflate bound');
    }
  }

  private stopDirection(dir: Direction, detail: string, frame: number): void {
    this.stopped[dir] = true;
    this.recorder.anomaly('compress.error', `${detail}; no further ${dir === 0 ? 'commands' : 'responses'} decoded`, frame);
    if (dir === 0) this.abandonClientCommand(frame, 'compress error');
    else this.abandonServerUnit(frame, 'compress error');
  }

  // ---- shared helpers ----

  private lineChecks(dir: Direction, ev: LineEvent): void {
    if (ev.ending === 'lf' && !this.bareLf[dir]) {
      this.bareLf[dir] = true;
      this.recorder.anomaly('line.bare_lf', `${dir === 0 ? 'client' : 'server'} line ended by a bare LF (RFC 9051 2.2 requires CRLF)`, ev.frame);
    }
    if (ev.cut > 0) {
      this.recorder.anomaly('line.too_long', `${dir === 0 ? 'client' : 'server'} line of ${ev.text.length + ev.cut} bytes cut at ${MAX_LINE}`, ev.frame);
    }
  }

  private countSkipped(dir: Direction, ev: LineEvent): void {
    this.skipped[dir].lines++;
    this.skipped[dir].bytes += ev.text.length + ev.cut + (ev.ending === 'crlf' ? 2 : 1);
  }

  private resynced(dir: Direction, frame: number, what: string): void {
    this.framers[dir].resynced();
    const s = this.skipped[dir];
    this.recorder.anomaly('stream.resync',
      `${dir === 0 ? 'client' : 'server'}: after a gap of ${s.gap} bytes, skipped ${s.lines} line(s) (${s.bytes} bytes) to the next ${what}`, frame);
    this.skipped[dir] = { lines: 0, bytes: 0, gap: 0 };
  }

  /** A line's own text (without its literal marker) goes into parts. */
  private appendText(parts: Part[], ev: LineEvent): void {
    const text = ev.marker ? ev.text.slice(0, ev.marker.start) : ev.text;
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + text;
    else parts.push(text);
    // A response with a great many literals must not grow without bound.
    if (parts.length > 2000) parts.splice(1, parts.length - 1000, ' … ');
  }


  private internalError(err: unknown, frame: number): void {
    // Never let a decoding bug escape into the pipeline; say what happened and stop decoding this session.
    this.stopped[0] = this.stopped[1] = true;
    this.recorder.anomaly('reply.malformed', `IMAP decoder stopped: ${(err as Error)?.message ?? String(err)}`, frame);
  }
}


function pushInterim(exchange: Exchange, interim: Interim): void {
  (exchange.interim ??= []).push(interim);
}

/**
 * Whether parseStatusLine can find BYE in this line: the word after the
 * first space is BYE (any case), followed by a space or the end. A cheap
 * test that spares the regular expression on every other untagged line.
 */
function mayBeBye(text: string): boolean {
  const sp = text.indexOf(' ');
  if (sp < 0 || text.length < sp + 4) return false;
  if ((text.charCodeAt(sp + 1) | 0x20) !== 0x62 || (text.charCodeAt(sp + 2) | 0x20) !== 0x79 || (text.charCodeAt(sp + 3) | 0x20) !== 0x65) return false;
  return text.length === sp + 4 || text.charCodeAt(sp + 4) === 0x20;
}
