/**
 * mailscope's command line. Each command lives in its own file; this one only
 * declares the commands and their options, and turns failures into one-line
 * messages and exit codes (see report.ts).
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CaptureError } from '../capture/errors.js';
import { followCommand } from './follow-command.js';
import { readCommand, transcriptCommand } from './read-command.js';
import { EXIT, describeFatal } from './report.js';

async function run(task: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await task();
  } catch (err) {
    process.stderr.write(describeFatal(err) + '\n');
    if (process.env.MAILSCOPE_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
    process.exitCode = err instanceof CaptureError ? EXIT.unreadable : EXIT.usage;
  }
}

const files = <T>(y: Argv<T>) => y.positional('files', {
  type: 'string', array: true, demandOption: true,
  describe: 'capture files (pcap, pcapng, gzip-compressed) or folders of them; several are merged by time',
});

const sessionOptions = <T>(y: Argv<T>) => y
  .option('show-secrets', { type: 'boolean', default: false, describe: 'show passwords, SASL responses and tokens instead of <redacted>' })
  .option('decode-as', { type: 'string', array: true, default: [] as string[], describe: 'PORT=smtp|pop3|imap (PORT=imaps etc. for implicit TLS), like Wireshark\'s Decode As; repeatable' });

await yargs(hideBin(process.argv))
  .scriptName('mailscope')
  .usage('$0 <command> FILE...\n\nLooks inside SMTP, POP3 and IMAP traffic in pcap and pcapng captures.')
  .command(
    ['read <files..>', '$0 <files..>'],
    'one line per mail session (or NDJSON / JSON with --format)',
    (y) => sessionOptions(files(y))
      .option('format', { alias: 'f', choices: ['text', 'ndjson', 'json'] as const, default: 'text' as const, describe: 'text: one line per session; ndjson: one JSON session per line (schema: mailscope schema); json: an array' }),
    (argv) => run(() => readCommand({ files: argv.files as string[], format: argv.format, showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'] })),
  )
  .command(
    'transcript <files..>',
    'the conversation of each session as a person reads it: C: and S: lines with times and reply latencies',
    (y) => sessionOptions(files(y))
      .option('session', { alias: 'n', type: 'number', array: true, default: [] as number[], describe: 'session number(s) to show (as mailscope read numbers them); default: all' })
      .option('out', { alias: 'o', type: 'string', describe: 'write one file per session into this folder instead of stdout' })
      .option('bodies', { type: 'boolean', default: false, describe: 'show message bodies, not only their summary' })
      .option('body-bytes', { type: 'number', default: 65536, describe: 'with --bodies: how many bytes of each body to show' }),
    (argv) => run(() => transcriptCommand({
      files: argv.files as string[], session: argv.session, out: argv.out, bodies: argv.bodies ? Math.max(1, argv['body-bytes']) : 0,
      showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'],
    })),
  )
  .command(
    'follow <files..>',
    'list the TCP streams of a capture, or follow one of them like Wireshark\'s "Follow TCP Stream"',
    (y) => files(y)
      .option('stream', { alias: 's', type: 'number', describe: 'stream number, as tshark numbers them (tcp.stream, from 0); omit to list the streams' })
      .option('format', { alias: 'f', choices: ['ascii', 'hex', 'bin'] as const, default: 'ascii' as const, describe: 'ascii: both directions, control bytes escaped; hex: hex dump; bin: exact bytes of one direction' })
      .option('direction', { alias: 'd', choices: ['both', 'client', 'server'] as const, default: 'both' as const, describe: 'which direction(s) to show' }),
    (argv) => run(() => followCommand({ files: argv.files as string[], stream: argv.stream, format: argv.format, direction: argv.direction })),
  )
  .command(
    'schema',
    'print the JSON Schema of the session objects that read --format ndjson prints',
    (y) => y,
    () => run(async () => {
      process.stdout.write(readFileSync(new URL('../../../schema/session.schema.json', import.meta.url), 'utf8'));
      return EXIT.ok;
    }),
  )
  .demandCommand(1, 'name a capture file, or a command: see --help')
  .strict()
  .help()
  .alias('h', 'help')
  .version()
  .epilogue('Exit status: 0 ok; 1 usage error; 2 input unreadable (missing, not a capture, unsupported); 3 capture damaged (output holds what was read before the damage).')
  .wrap(Math.min(100, process.stdout.columns ?? 100))
  .parseAsync();
