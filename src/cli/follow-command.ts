/** `mailscope follow FILE... [--stream N] [--format ascii|hex|bin] [--direction both|client|server]` */
import { openCapture } from '../capture/open-capture.js';
import { FollowPrinter, type FollowDirection, type FollowFormat } from '../export/follow.js';
import { Output } from '../export/output.js';
import { StreamCollector, formatStreamTable } from '../export/stream-list.js';
import { readStreams } from '../pipeline/read-streams.js';
import { EXIT, reportRead } from './report.js';

export interface FollowArgs {
  files: string[];
  stream?: number;
  format: FollowFormat;
  direction: FollowDirection;
}

export async function followCommand(args: FollowArgs): Promise<number> {
  const out = new Output(process.stdout);
  const warn = (line: string) => process.stderr.write(line + '\n');
  if (args.format === 'bin' && args.direction === 'both' && args.stream !== undefined) {
    warn('mailscope: --format bin writes the exact bytes of one direction: add --direction client or --direction server');
    return EXIT.usage;
  }
  const input = await openCapture(args.files);

  if (args.stream === undefined) {
    const collector = new StreamCollector();
    const result = await readStreams(input, collector);
    const streams = collector.sorted();
    out.write(formatStreamTable(streams));
    out.write(`${streams.length} TCP stream${streams.length === 1 ? '' : 's'} in ${result.frames} frames; ` +
      `show one with: mailscope follow ${args.files.join(' ')} --stream N\n`);
    await out.end();
    return reportRead(result, warn);
  }

  const printer = new FollowPrinter(args.stream, args.format, args.direction, out);
  const result = await readStreams(input, printer);
  await out.end();
  const code = reportRead(result, warn);
  if (printer.found === null) {
    warn(`mailscope: there is no TCP stream ${args.stream}: the capture has ${result.connections} (numbered 0 to ${result.connections - 1})`);
    return EXIT.usage;
  }
  if (args.format === 'bin') {
    for (const gap of printer.gaps) {
      warn(`mailscope: gap: ${gap.length} bytes missing after byte ${gap.offset} of the ${gap.dir === 0 ? 'client' : 'server'} stream (frame ${gap.frame}); the output skips them`);
    }
  }
  return code;
}
