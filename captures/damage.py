#!/usr/bin/env python3
"""Make damaged and variant capture files from the recorded mailscope corpus.

    python3 captures/damage.py [CAPTURES_DIR]

Reads the classic little-endian pcap files recorded by record.sh and writes
CAPTURES_DIR/damaged/ and CAPTURES_DIR/variants/ (both are emptied first).
Standard library only; editcap (wireshark-common) is used for the pcapng,
ring-buffer and secrets-injection variants and skipped with a warning when
it is missing.  Every output is derived deterministically from its input.
"""
import glob
import gzip
import os
import shutil
import struct
import subprocess
import sys

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
MAIL_PORTS = {25, 110, 143, 465, 587, 993, 995}


# ----------------------------------------------------------------- pcap I/O --
class Capture:
    def __init__(self, path):
        with open(path, "rb") as f:
            raw = f.read()
        magic, = struct.unpack("<I", raw[:4])
        if magic != PCAP_MAGIC_US:
            raise ValueError("%s: expected little-endian microsecond pcap, magic %#x" % (path, magic))
        self.path = path
        self.header = raw[:24]
        (_, self.vmaj, self.vmin, self.thiszone, self.sigfigs, self.snaplen,
         self.linktype) = struct.unpack("<IHHiIII", self.header)
        self.records = []  # (ts_sec, ts_usec, orig_len, data, file_offset)
        off = 24
        while off < len(raw):
            ts_sec, ts_usec, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
            self.records.append((ts_sec, ts_usec, orig, raw[off + 16:off + 16 + incl], off))
            off += 16 + incl

    def write(self, path, records=None):
        records = self.records if records is None else records
        with open(path, "wb") as f:
            f.write(self.header)
            for ts_sec, ts_usec, orig, data, _ in records:
                f.write(struct.pack("<IIII", ts_sec, ts_usec, len(data), orig))
                f.write(data)


def tcp_info(rec):
    """(src_port, dst_port, payload_offset, payload_len) for an Ethernet/IPv4/TCP frame, else None."""
    data = rec[3]
    if len(data) < 14 + 20 or struct.unpack("!H", data[12:14])[0] != 0x0800:
        return None
    ip = 14
    ihl = (data[ip] & 0x0F) * 4
    total_len, = struct.unpack("!H", data[ip + 2:ip + 4])
    if data[ip + 9] != 6:
        return None
    tcp = ip + ihl
    sport, dport = struct.unpack("!HH", data[tcp:tcp + 4])
    doff = (data[tcp + 12] >> 4) * 4
    return sport, dport, tcp + doff, total_len - ihl - doff


def from_server(info):
    return info[0] in MAIL_PORTS


def payload(rec):
    info = tcp_info(rec)
    return rec[3][info[2]:info[2] + info[3]] if info else b""


def data_indexes(cap):
    """Indexes of records carrying TCP payload."""
    return [i for i, r in enumerate(cap.records) if (tcp_info(r) or (0, 0, 0, 0))[3] > 0]


# ------------------------------------------------------------------ damage --
def truncated(cap, out_dir):
    recs = cap.records
    k = len(recs) // 2
    # mid-data: cut halfway through the payload bytes of a data-bearing record
    i = next(i for i in data_indexes(cap) if i >= k)
    ts_sec, ts_usec, orig, data, off = recs[i]
    cut = off + 16 + len(data) // 2
    with open(cap.path, "rb") as f:
        raw = f.read()
    write_bytes(os.path.join(out_dir, "truncated.pcap"), raw[:cut],
                "cut at byte %d, inside the data of record %d (of %d)" % (cut, i + 1, len(recs)))
    # mid-header: cut 8 bytes into a 16-byte record header
    off = recs[k][4]
    write_bytes(os.path.join(out_dir, "truncated-mid-header.pcap"), raw[:off + 8],
                "cut at byte %d, 8 bytes into the header of record %d (of %d)" % (off + 8, k + 1, len(recs)))


def corrupt_length(cap, out_dir):
    k = len(cap.records) // 2
    off = cap.records[k][4]
    with open(cap.path, "rb") as f:
        raw = bytearray(f.read())
    raw[off + 8:off + 12] = struct.pack("<I", 0xFFFFFF00)
    write_bytes(os.path.join(out_dir, "corrupt-length.pcap"), bytes(raw),
                "record %d (of %d) incl_len = 0xFFFFFF00" % (k + 1, len(cap.records)))


def dropped_segment(cap, out_dir):
    # remove the server's "250 2.1.0 Ok" reply to MAIL FROM
    i = next(i for i in data_indexes(cap)
             if from_server(tcp_info(cap.records[i])) and payload(cap.records[i]).startswith(b"250 2.1.0"))
    recs = cap.records[:i] + cap.records[i + 1:]
    cap.write(os.path.join(out_dir, "dropped-segment.pcap"), recs)
    note("dropped-segment.pcap", "record %d removed (server %r)" % (i + 1, payload(cap.records[i])))


def reordered(cap, out_dir):
    # first two consecutive data-bearing segments of the same direction (client, DATA phase);
    # their packet bytes are swapped, the timestamps stay in file order
    idx = data_indexes(cap)
    for a, b in zip(idx, idx[1:]):
        ia, ib = tcp_info(cap.records[a]), tcp_info(cap.records[b])
        if ia[:2] == ib[:2] and not from_server(ia):
            break
    else:
        raise ValueError("%s: no two consecutive client segments" % cap.path)
    recs = list(cap.records)
    ra, rb = recs[a], recs[b]
    recs[a] = (ra[0], ra[1], rb[2], rb[3], ra[4])
    recs[b] = (rb[0], rb[1], ra[2], ra[3], rb[4])
    cap.write(os.path.join(out_dir, "reordered.pcap"), recs)
    note("reordered.pcap", "records %d and %d (client segments of %d and %d bytes) swapped"
         % (a + 1, b + 1, ia[3], ib[3]))


def midstream(cap, out_dir):
    # drop the handshake, the server greeting and the ACKs before the client's first command
    idx = data_indexes(cap)
    first_client = next(i for i in idx if not from_server(tcp_info(cap.records[i])))
    cap.write(os.path.join(out_dir, "midstream.pcap"), cap.records[first_client:])
    note("midstream.pcap", "first %d records (SYN handshake, 220 greeting, ACK) removed; starts with %r"
         % (first_client, payload(cap.records[first_client]).strip()))


def not_captures(cap, out_dir):
    write_bytes(os.path.join(out_dir, "bad-magic.bin"),
                b"This is not a capture file.\nmailscope test corpus\n" + bytes(range(256)),
                "text + bytes 0..255, no pcap/pcapng magic")
    hdr = bytearray(cap.header)
    hdr[4:8] = struct.pack("<HH", 9, 4)
    with open(cap.path, "rb") as f:
        raw = f.read()
    write_bytes(os.path.join(out_dir, "bad-version.pcap"), bytes(hdr) + raw[24:],
                "valid pcap with version 9.4 in the file header")
    write_bytes(os.path.join(out_dir, "empty.pcap"), b"", "0 bytes")
    write_bytes(os.path.join(out_dir, "header-only.pcap"), cap.header, "24-byte file header, no records")


# ---------------------------------------------------------------- variants --
def big_endian(cap, out_path):
    with open(out_path, "wb") as f:
        f.write(struct.pack(">IHHiIII", PCAP_MAGIC_US, cap.vmaj, cap.vmin, cap.thiszone,
                            cap.sigfigs, cap.snaplen, cap.linktype))
        for ts_sec, ts_usec, orig, data, _ in cap.records:
            f.write(struct.pack(">IIII", ts_sec, ts_usec, len(data), orig))
            f.write(data)
    note(os.path.basename(out_path), "big-endian classic pcap (magic bytes a1 b2 c3 d4)")


def nanosecond(cap, out_path):
    with open(out_path, "wb") as f:
        f.write(struct.pack("<IHHiIII", PCAP_MAGIC_NS, cap.vmaj, cap.vmin, cap.thiszone,
                            cap.sigfigs, cap.snaplen, cap.linktype))
        for ts_sec, ts_usec, orig, data, _ in cap.records:
            f.write(struct.pack("<IIII", ts_sec, ts_usec * 1000, len(data), orig))
            f.write(data)
    note(os.path.basename(out_path), "nanosecond pcap (magic 0xa1b23c4d, fraction x1000)")


def snaplen(cap, out_path, n=96):
    hdr = bytearray(cap.header)
    hdr[16:20] = struct.pack("<I", n)
    with open(out_path, "wb") as f:
        f.write(hdr)
        for ts_sec, ts_usec, orig, data, _ in cap.records:
            f.write(struct.pack("<IIII", ts_sec, ts_usec, min(len(data), n), orig))
            f.write(data[:n])
    note(os.path.basename(out_path), "snaplen %d: incl_len < orig_len for longer frames" % n)


def gzipped(src, out_path):
    with open(src, "rb") as f:
        raw = f.read()
    with open(out_path, "wb") as f:
        with gzip.GzipFile(filename=os.path.basename(src), mode="wb", fileobj=f, mtime=0) as g:
            g.write(raw)
    note(os.path.basename(out_path), "gzip of %s" % os.path.basename(src))


def editcap(args, what):
    if not shutil.which("editcap"):
        print("   SKIP (editcap not installed):", what)
        return False
    subprocess.run(["editcap"] + args, check=True)
    note(what, "editcap " + " ".join(os.path.basename(a) for a in args))
    return True


# ----------------------------------------------------------------- helpers --
def write_bytes(path, data, what):
    with open(path, "wb") as f:
        f.write(data)
    note(os.path.basename(path), what)


def note(name, what):
    print("   %-34s %s" % (name, what))


def fresh_dir(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def main():
    here = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__))
    damaged = os.path.join(here, "damaged")
    variants = os.path.join(here, "variants")
    fresh_dir(damaged)
    fresh_dir(variants)

    auth = Capture(os.path.join(here, "smtp-auth-success.pcap"))
    medium = Capture(os.path.join(here, "smtp-medium-message.pcap"))
    demo = os.path.join(here, "demo.pcap")

    print("damaged/ (source smtp-auth-success.pcap unless noted)")
    truncated(auth, damaged)
    corrupt_length(auth, damaged)
    dropped_segment(auth, damaged)
    print("   (reordered.pcap from smtp-medium-message.pcap)")
    reordered(medium, damaged)
    midstream(auth, damaged)
    not_captures(auth, damaged)

    print("variants/")
    big_endian(auth, os.path.join(variants, "smtp-auth-success-be.pcap"))
    nanosecond(auth, os.path.join(variants, "smtp-auth-success-ns.pcap"))
    snaplen(auth, os.path.join(variants, "smtp-auth-success-snap96.pcap"))
    gzipped(demo, os.path.join(variants, "demo.pcap.gz"))
    editcap(["-F", "pcapng", demo, os.path.join(variants, "demo.pcapng")], "demo.pcapng")
    n = len(Capture(demo).records)
    per = -(-n // 3)  # ceil: three files
    if editcap(["-F", "pcap", "-c", str(per), demo, os.path.join(variants, "demo-ring.pcap")],
               "demo-ring_*.pcap (%d packets each)" % per):
        for p in sorted(glob.glob(os.path.join(variants, "demo-ring_*.pcap"))):
            note(os.path.basename(p), "ring part")
    editcap(["--inject-secrets", "tls," + os.path.join(here, "imaps-993.keys"),
             os.path.join(here, "imaps-993.pcap"), os.path.join(variants, "imaps-993-dsb.pcapng")],
            "imaps-993-dsb.pcapng")
    return 0


if __name__ == "__main__":
    sys.exit(main())
