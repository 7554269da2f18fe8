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
import type { AuthAttempt, Command, Exchange, Interim, Reply } from '../../session/model.js';
import type { SessionRecorder } from '../../session/recorder.js';
import type { Direction } from '../../tcp/types.js';
import type { ProtocolMachine } from '../machine.js';
import { MessageBody } from '../message-body.js';
import { isAppendMessage, isKnownVerb, parseCommandStart, renderArgs } from './commands.js';
import { ImapFramer, MAX_LINE, type GapEvent, type LineEvent, type LiteralEvent } from './framer.js';
import { SyncInflater } from './inflate.js';
import { renderParts, splitArgs, type LiteralMarker, type Part } from './literal.js';
import { LiteralSink } from './literal-sink.js';
import {
  continuationReply, isMessageLiteral, looksLikeResponse, parseStatusLine, statusReply,
} from './response.js';
import { saslUser } from '../sasl.js';

/** Untagged responses kept per exchange; past it the last slot counts the rest (a SEARCH over a huge mailbox, a FETCH 1:*). */
const MAX_UNTAGGED = 1000;
/** Client bytes held waiting for a reply before we assume it succeeded (preamble convention). */
const MAX_HELD = 64 * 1024;
/** Compressed input is inflated in slices this big, so one chunk cannot expand without bound before we frame it. */
const INFLATE_SLICE = 4096;

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
  /** A direction we cannot decode any more (inflate error). */
  private readonly stopped: [boolean, boolean] = [false, false];
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

  constructor(private readonly recorder: SessionRecorder) {}

  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    try {
      if (data.length === 0) return;
      if (dir === 1) this.serverSeen = true;
      if (this.tls) {
        this.recorder.tlsData(dir, data, ts, frame);
        return;
      }
      if (this.stopped[dir]) return;
      const inflater = this.inflaters[dir];
      if (inflater === null) {
        this.framers[dir].push(data, ts, frame);
        this.checkHeld(frame);
        this.pump();
        return;
      }
      for (let i = 0; i < data.length && !this.stopped[dir] && !this.tls; i += INFLATE_SLICE) {
        this.pushCompressed(dir, data.subarray(i, i + INFLATE_SLICE), ts, frame);
        this.checkHeld(frame);
        this.pump();
      }
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
      if (this.stopped[dir]) return;
      if (this.inflaters[dir] !== null) {
        // A DEFLATE stream cannot be picked up again: its window is gone with the lost bytes.
        this.stopDirection(dir, `${length} bytes of the compressed ${dir === 0 ? 'client' : 'server'} stream are missing: cannot inflate past a gap`, frame);
        return;
      }
      this.framers[dir].gap(length, ts, frame);
      this.pump();
    } catch (err) {
      this.internalError(err, frame);
    }
  }

  end(ts: bigint, frame: number): void {
    try {
      this.pump();
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
    while (!this.tls && !this.stopped[1]) {
      const ev = this.framers[1].next();
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
    const fresh: ServerUnit = {
      kind, firstLine: ev.text, ts: ev.ts, frame: ev.frame, first, parts: [], target, owner: target?.index ?? null,
    };
    this.appendText(fresh.parts, ev);
    this.afterResponseLine(fresh, ev);
  }

  /** Untagged data belongs to IDLE while it runs (RFC 2177), else to the oldest command in flight. */
  private untaggedTarget(): Pending | null {
    return this.inFlight.find((p) => p.verb === 'IDLE') ?? this.inFlight[0] ?? null;
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
    const text = renderParts(unit.parts, MAX_LINE);
    const ts = this.recorder.time(unit.ts);
    if (unit.kind === 'tagged') {
      this.tagged(text, ts, unit.frame);
      return;
    }
    const status = parseStatusLine(text);
    // RFC 9051 7.1: the greeting is an untagged OK, PREAUTH or BYE.
    if (unit.first && status !== null && (status.status === 'OK' || status.status === 'PREAUTH' || status.status === 'BYE')) {
      this.recorder.addExchange({ command: null, reply: statusReply(text, status, ts, unit.frame) });
      this.loose = null;
      if (status.status === 'BYE') this.byeSeen = true;
      return;
    }
    if (status?.status === 'BYE') this.byeSeen = true;
    if (unit.target !== null) {
      addUntagged(unit.target.exchange, text);
      return;
    }
    if (status?.status === 'BYE') {
      // RFC 9051 7.1.5: the server may say BYE at any time (autologout, shutdown).
      this.recorder.addExchange({ command: null, reply: statusReply(text, status, ts, unit.frame) });
      this.loose = null;
      return;
    }
    // RFC 3501 5.2: the server may send data nobody asked for at any time.
    const index = unit.owner ?? this.looseExchange();
    addUntagged(this.recorder.session.exchanges[index], text);
  }

  private looseExchange(): number {
    if (this.loose !== null && this.loose === this.recorder.exchangeCount - 1) return this.loose;
    this.loose = this.recorder.addExchange({ command: null, reply: null });
    return this.loose;
  }

  private tagged(text: string, ts: string, frame: number): void {
    const parsed = parseStatusLine(text);
    const tag = parsed?.tag ?? text.split(' ', 1)[0];
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
    const p = this.inFlight.find((c) => c.tag === tag);
    if (p === undefined) {
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
    const reply = continuationReply(ev.text, this.recorder.time(ev.ts), ev.frame);
    const hold = this.hold;
    if (hold !== null) {
      pushInterim(hold.pending.exchange, { reply });
      if (hold.kind === 'literal') {
        this.hold = null;
        this.startClientLiteral(hold.marker!.size, ev.frame);
      } else if (hold.kind === 'auth') {
        this.hold = null;
        hold.pending.awaitSasl = true;
      }
      return;
    }
    const idle = this.inFlight.find((p) => p.verb === 'IDLE');
    const target = idle ?? this.inFlight[this.inFlight.length - 1];
    if (target !== undefined) {
      pushInterim(target.exchange, { reply });
      return;
    }
    const index = this.recorder.addExchange({ command: null, reply });
    this.loose = null;
    this.recorder.anomaly('reply.unexpected', 'continuation request with no command waiting for it', ev.frame, index);
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
    for (const dir of [0, 1] as const) {
      if (this.inflaters[dir] !== null) continue;
      const pieces = this.framers[dir].drain();
      this.inflaters[dir] = new SyncInflater();
      for (const piece of pieces) {
        if (this.stopped[dir]) break;
        if ('gap' in piece) this.stopDirection(dir, `${piece.gap} bytes of the compressed stream are missing`, frame);
        else this.pushCompressed(dir, piece.data, piece.ts, piece.frame);
      }
    }
  }

  private pushCompressed(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    let plain: Buffer;
    try {
      plain = this.inflaters[dir]!.inflate(data);
    } catch (err) {
      this.stopDirection(dir, `${dir === 0 ? 'client' : 'server'} DEFLATE stream: ${(err as Error).message}`, frame);
      return;
    }
    this.framers[dir].push(plain, ts, frame);
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

/** Adds one untagged response; past the bound the last slot counts what was not kept. */
function addUntagged(exchange: Exchange, text: string): void {
  const list = (exchange.untagged ??= []);
  if (list.length < MAX_UNTAGGED - 1) {
    list.push(text);
    return;
  }
  const prev = list.length === MAX_UNTAGGED ? /^… (\d+) more/.exec(list[MAX_UNTAGGED - 1]) : null;
  const more = prev ? Number(prev[1]) + 1 : 1;
  list[MAX_UNTAGGED - 1] = `… ${more} more untagged responses not kept`;
}
