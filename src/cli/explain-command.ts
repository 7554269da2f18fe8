/** `mailscope explain "550 5.7.1 Relaying denied" [--lang en|zh] [--format text|json]`: what a reply line means and what usually fixes it. */
import { explainText, formatExplanation, type Lang } from '../explain/index.js';
import { EXIT } from './report.js';
import { jsonText } from '../export/json-line.js';

export interface ExplainArgs {
  /** The reply as typed; several words are one line, several arguments with newlines a multi-line reply. */
  text: string;
  lang: Lang;
  format: 'text' | 'json';
}

export async function explainCommand(args: ExplainArgs): Promise<number> {
  const explanation = explainText(args.text, args.lang);
  if (!explanation) {
    process.stderr.write(`mailscope: not a reply mailscope can read: ${JSON.stringify(args.text)}\n` +
      'expected an SMTP reply ("550 5.7.1 Relaying denied"), a POP3 one ("-ERR [AUTH] ...") or an IMAP one ("a1 NO [AUTHENTICATIONFAILED] ...")\n');
    return EXIT.usage;
  }
  process.stdout.write(args.format === 'json' ? jsonText(explanation, 2) + '\n' : formatExplanation(explanation));
  return EXIT.ok;
}

/**
 * A POP3 failure starts with "-" ("-ERR [AUTH] ..."), which the argument parser
 * would read as options: after `explain`, such words get a leading space
 * (explainText trims it), so `mailscope explain -ERR [AUTH] failed` works.
 */
export function protectReplyWords(args: string[]): string[] {
  const at = args.indexOf('explain');
  if (at < 0 || args.slice(0, at).some((a) => !a.startsWith('-'))) return args;
  return args.map((a, i) => (i > at && /^-ERR\b/i.test(a) ? ` ${a}` : a));
}
