/**
 * mailscope's command line. Each command lives in its own file; this one only
 * declares the commands and their options, and turns failures into one-line
 * messages and exit codes (see report.ts).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { followCommand } from './follow-command.js';
import { EXIT, describeFatal } from './report.js';

async function run(task: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await task();
  } catch (err) {
    process.stderr.write(describeFatal(err) + '\n');
    if (process.env.MAILSCOPE_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
    process.exitCode = EXIT.error;
  }
}

await yargs(hideBin(process.argv))
  .scriptName('mailscope')
  .usage('$0 <command> FILE...\n\nLooks inside SMTP, POP3 and IMAP traffic in pcap and pcapng captures.')
  .command(
    ['follow <files..>', '$0 <files..>'],
    'list the TCP streams of a capture, or follow one of them like Wireshark\'s "Follow TCP Stream"',
    (y) => y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'capture files (pcap, pcapng, gzip-compressed) or folders of them; several are merged by time' })
      .option('stream', { alias: 's', type: 'number', describe: 'stream number, as tshark numbers them (tcp.stream, from 0); omit to list the streams' })
      .option('format', { alias: 'f', choices: ['ascii', 'hex', 'bin'] as const, default: 'ascii' as const, describe: 'ascii: both directions, control bytes escaped; hex: hex dump; bin: exact bytes of one direction' })
      .option('direction', { alias: 'd', choices: ['both', 'client', 'server'] as const, default: 'both' as const, describe: 'which direction(s) to show' }),
    (argv) => run(() => followCommand({ files: argv.files as string[], stream: argv.stream, format: argv.format, direction: argv.direction })),
  )
  .demandCommand(1, 'name a capture file, or a command: see --help')
  .strict()
  .help()
  .alias('h', 'help')
  .version()
  .epilogue('Exit status: 0 ok, 1 error (nothing read), 3 capture damaged (output holds what was read before the damage).')
  .wrap(Math.min(100, process.stdout.columns ?? 100))
  .parseAsync();
