/**
 * One measured read of a capture, in its own process so that peak memory
 * (maxRSS) belongs to this read alone. Prints one JSON line.
 *
 *   node dist/bench/read-once.js pipeline FILE     capture -> packets -> TCP reassembly
 *   node dist/bench/read-once.js capture FILE      our capture reader alone
 *   node dist/bench/read-once.js pcap-parser FILE  the pcap-parser package alone (for the Dependencies comparison)
 */
import { createRequire } from 'node:module';
import { openCapture } from '../src/capture/open-capture.js';
import { readStreams } from '../src/pipeline/read-streams.js';
import type { StreamListener } from '../src/tcp/types.js';

const [mode, file] = process.argv.slice(2);

async function pipeline(): Promise<Record<string, number>> {
  let streamBytes = 0;
  let gaps = 0;
  // The cheapest real consumer: it looks at every byte range the reassembler releases.
  const listener: StreamListener = {
    data: (_c, _d, data) => { streamBytes += data.length; },
    gap: () => { gaps++; },
    close: () => undefined,
  };
  const result = await readStreams(await openCapture([file]), listener);
  return { frames: result.frames, capturedBytes: result.capturedBytes, connections: result.connections, streamBytes, gaps };
}

async function captureOnly(): Promise<Record<string, number>> {
  let frames = 0;
  let capturedBytes = 0;
  for await (const batch of (await openCapture([file])).batches()) {
    frames += batch.length;
    for (const f of batch) capturedBytes += f.data.length;
  }
  return { frames, capturedBytes };
}

interface PcapParserPacket { header: unknown; data: Buffer }
interface PcapParserEmitter {
  on(event: 'packet', cb: (p: PcapParserPacket) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
}

function pcapParserOnly(): Promise<Record<string, number>> {
  // pcap-parser is CommonJS without types; only the benchmark loads it.
  const pcapp = createRequire(import.meta.url)('pcap-parser') as { parse(path: string): PcapParserEmitter };
  return new Promise((resolve, reject) => {
    let frames = 0;
    let capturedBytes = 0;
    const parser = pcapp.parse(file);
    parser.on('packet', (p) => { frames++; capturedBytes += p.data.length; });
    parser.on('error', reject);
    parser.on('end', () => resolve({ frames, capturedBytes }));
  });
}

const modes: Record<string, () => Promise<Record<string, number>>> = { pipeline, capture: captureOnly, 'pcap-parser': pcapParserOnly };
if (!modes[mode] || !file) {
  process.stderr.write('usage: read-once.js pipeline|capture|pcap-parser FILE\n');
  process.exit(2);
}
process.removeAllListeners('warning'); // pcap-parser's Buffer() deprecation warning is not a result
const start = process.hrtime.bigint();
const counts = await modes[mode]();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ mode, seconds, maxRssKiB: process.resourceUsage().maxRSS, ...counts }) + '\n');
