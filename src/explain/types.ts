/**
 * The shapes the explanation engine works with: the languages it speaks, one
 * catalog entry (meaning, cause, fix in every language) and the explanation
 * it hands to the transcript, the UI and `mailscope explain`.
 */
import type { Protocol } from '../session/model.js';

/** Languages every catalog entry is written in. Adding one here makes the compiler list every entry still to translate. */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** What one code or reply text says, in one language. */
export interface EntryText {
  /** What the code or text means, in a few words. */
  meaning: string;
  /** What usually leads to it. */
  cause: string;
  /** What usually fixes it, and on which side. */
  fix: string;
}

/** One catalog entry: the same three texts in every language. */
export type Entry = Record<Lang, EntryText>;

/** A real-world reply text recognised by pattern. */
export interface PatternEntry extends Entry {
  /** Stable name, used in JSON output and tests ("greylisting", "relay-denied"). */
  id: string;
  /** Protocols the pattern applies to; all when absent. */
  protocols?: readonly Protocol[];
  /** Any of these, tried on the reply's lines as sent (code included), makes the pattern match. */
  match: readonly RegExp[];
  /**
   * POP3 / IMAP: when the reply carries a response code, the pattern applies
   * only if the code is one of these ("-ERR [IN-USE] ... login failed" is a
   * locked mailbox, not a wrong password). No restriction when absent.
   */
  onlyWithCodes?: readonly string[];
  /**
   * POP3 / IMAP: the pattern also matches, whatever the text, a reply with one
   * of these response codes in answer to one of these commands (when the
   * command is known): "NO [UNAVAILABLE]" to LOGIN is the login backend down.
   */
  byCode?: { codes: readonly string[]; commands: readonly string[] };
}

/** One layer of an explanation: the basic code, one part of the enhanced code, a POP3/IMAP code, or the matched text. */
export interface ExplanationPart {
  /** smtp: basic reply code; class / subject / detail: enhanced status code parts; pop3 / imap: response code or status; pattern: matched text. */
  kind: 'smtp' | 'class' | 'subject' | 'detail' | 'pop3' | 'imap' | 'status' | 'pattern';
  /** The code as written ("550", "5.x.x", "x.7.x", "x.7.1", "AUTH", "NO") or the pattern id. */
  key: string;
  meaning: string;
  cause: string;
  fix: string;
}

export interface Explanation {
  protocol: Protocol;
  lang: Lang;
  /** The reply's codes in short: "550 5.7.1", "-ERR [AUTH]", "NO [AUTHENTICATIONFAILED]". */
  label: string;
  /** True for a failure (SMTP 4xx/5xx, -ERR, NO, BAD, BYE). */
  failure: boolean;
  /** True when trying again later may work (SMTP 4xx or enhanced class 4, POP3 SYS/TEMP, IN-USE, LOGIN-DELAY, IMAP UNAVAILABLE, INUSE). */
  temporary: boolean;
  /** The id of the reply-text pattern that matched, if any. */
  pattern: string | null;
  /** The most specific meaning, cause and fix (pattern first, then enhanced detail, then the codes). */
  meaning: string;
  cause: string;
  fix: string;
  /** Every layer that contributed, most specific first. */
  parts: ExplanationPart[];
}
