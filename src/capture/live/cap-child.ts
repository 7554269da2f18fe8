/**
 * The cap backend's child process: opens the interface with cap, stamps
 * every packet on arrival, copies it out of cap's shared buffer into a
 * nanosecond pcap stream on stdout, and ends that stream cleanly on SIGTERM,
 * SIGINT or when stdin closes (the parent went away).
 *
 * Why a child process rather than cap in the main process: cap's native code
 * prints warnings with fprintf(stderr) (binding.cc, pcap_lookupnet), which
 * would tear the terminal UI; here stderr is a pipe the parent reads, so those
 * lines become data. And this event loop does nothing but capture, so the
 * arrival stamps are not delayed by decoding or drawing in the parent. The
 * stream it writes is the same format tcpdump -w - writes, so the parent reads
 * both backends with one pcap reader.
 *
 * Protocol on stderr, one line each: `LISTENING <linktype>`, `ERROR <text>`,
 * `STATS <packets> <bytes>`; anything else is cap or libpcap talking.
 */
import { PcapWriter } from '../pcap-writer.js';
import { ArrivalClock } from './arrival-clock.js';
import { capLinkType, loadCap } from './cap-binding.js';
import { CAP_SNAPLEN } from './cap-snaplen.js';
import { originalLength } from './orig-len.js';

export interface CapChildArgs {
  iface: string;
  filter: string;
  snaplen: number;
  bufferBytes: number;
}


function fail(text: string): never {
  process.stderr.write(`ERROR ${text.replace(/\s+/g, ' ')}\n`);
  process.exit(2);
}

function main(): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as CapChildArgs;
  const loaded = loadCap();
  if (!loaded.ok) fail(loaded.reason);
  const handle = new loaded.cap.Cap();
  // One byte more than cap's snap length so `truncated` never fires for a buffer reason.
  const buffer = Buffer.alloc(CAP_SNAPLEN + 1);
  let linkName: string;
  try {
    linkName = handle.open(args.iface, args.filter, args.bufferBytes, buffer);
  } catch (err) {
    fail((err as Error).message);
  }
  const linkType = capLinkType(linkName);
  if (linkType === null) fail(`unsupported link type ${linkName}`);
  const snaplen = Math.min(args.snaplen, CAP_SNAPLEN);
  const clock = new ArrivalClock();
  const writer = new PcapWriter(process.stdout, { linkType, snapLen: snaplen, nanosecond: true, batchSize: 256 << 10 });
  let packets = 0;
  let bytes = 0;
  let flushQueued = false;
  let stopping = false;

  handle.on('packet', (nbytes) => {
    // Stamp first: everything after this line is time the stamp does not include.
    const ts = clock.now();
    const data = buffer.subarray(0, nbytes);
    // The writer copies the bytes into its own batch before cap reuses the buffer.
    writer.write(ts, data, originalLength(linkType, data));
    packets++;
    bytes += nbytes;
    if (!flushQueued) {
      // cap drains every ready packet in one libuv callback; flush once after it.
      flushQueued = true;
      setImmediate(() => { flushQueued = false; if (!stopping) writer.flush(); });
    }
  });
  writer.flush();
  process.stderr.write(`LISTENING ${linkType}\n`);

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    handle.close();
    writer.close().catch(() => undefined).finally(() => {
      process.stderr.write(`STATS ${packets} ${bytes}\n`);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.on('error', stop);
}

main();
