/**
 * Which capture backend runs, and the one message a user sees when none can.
 *
 * - cap (libpcap through the optional `cap` package), run in a child process:
 *   packets stamped on arrival. Preferred: no other program needed.
 * - tcpdump: `tcpdump -U -w -` read through our own pcap reader; kernel
 *   timestamps and libpcap's drop counts. Used when cap cannot be loaded, or
 *   when MAILSCOPE_CAPTURE_BACKEND=tcpdump asks for it.
 */
export type BackendName = 'cap' | 'tcpdump';

export interface BackendFacts {
  /** MAILSCOPE_CAPTURE_BACKEND: 'cap', 'tcpdump', or unset / 'auto'. */
  requested: string | undefined;
  /** null when cap loads, else why not. */
  capProblem: string | null;
  /** Path of tcpdump, or null when not found on PATH. */
  tcpdump: string | null;
}

export type BackendChoice = { ok: true; backend: BackendName; note: string } | { ok: false; message: string };

export const SETCAP_HINT = 'sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which node)")"';

export function chooseBackend(facts: BackendFacts): BackendChoice {
  const want = (facts.requested ?? 'auto').trim().toLowerCase() || 'auto';
  if (want !== 'auto' && want !== 'cap' && want !== 'tcpdump') {
    return { ok: false, message: `MAILSCOPE_CAPTURE_BACKEND=${facts.requested}: expected cap, tcpdump or auto` };
  }
  if (want === 'cap') {
    return facts.capProblem === null
      ? { ok: true, backend: 'cap', note: 'cap (libpcap), arrival timestamps' }
      : { ok: false, message: `MAILSCOPE_CAPTURE_BACKEND=cap, but ${facts.capProblem}. ${INSTALL_CAP}` };
  }
  if (want === 'tcpdump') {
    return facts.tcpdump !== null
      ? { ok: true, backend: 'tcpdump', note: `tcpdump (${facts.tcpdump}), kernel timestamps (asked for by MAILSCOPE_CAPTURE_BACKEND)` }
      : { ok: false, message: `MAILSCOPE_CAPTURE_BACKEND=tcpdump, but tcpdump is not on PATH. ${INSTALL_TCPDUMP}` };
  }
  if (facts.capProblem === null) return { ok: true, backend: 'cap', note: 'cap (libpcap), arrival timestamps' };
  if (facts.tcpdump !== null) {
    return { ok: true, backend: 'tcpdump', note: `tcpdump (${facts.tcpdump}), kernel timestamps, because ${facts.capProblem}` };
  }
  return { ok: false, message: `live capture needs libpcap, and ${facts.capProblem} and tcpdump is not on PATH. ${INSTALL_CAP} Or: ${INSTALL_TCPDUMP}` };
}

const INSTALL_CAP = 'Install libpcap\'s headers and rebuild the optional cap package: sudo apt-get install libpcap-dev && npm rebuild cap (or npm install).';
const INSTALL_TCPDUMP = 'sudo apt-get install tcpdump.';

/**
 * One line for libpcap's (or tcpdump's) reason an interface cannot be opened,
 * saying what to do about it: grant the capability, or name an interface that exists.
 */
export function describeOpenFailure(iface: string, backend: BackendName, detail: string): string {
  const text = detail.replace(/^tcpdump: /, '').trim();
  if (/permission|not permitted|EPERM|EACCES/i.test(text)) {
    const who = backend === 'cap'
      ? `grant node the capture capabilities: ${SETCAP_HINT}`
      : 'grant tcpdump the capture capabilities: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which tcpdump)")"';
    return `mailscope: no permission to capture on ${iface} (${text}); run as root, or ${who}`;
  }
  if (/no such device|doesn't exist|does not exist|No such device exists/i.test(text)) {
    return `mailscope: there is no interface ${JSON.stringify(iface)} (${text}); see mailscope capture --list-interfaces`;
  }
  if (/syntax error|can't parse filter|illegal|bad filter|expression/i.test(text)) {
    return `mailscope: the capture filter is not valid BPF (${text})`;
  }
  return `mailscope: cannot capture on ${iface} with ${backend}: ${text}`;
}
