/**
 * What can be wrong with a capture file, as data. A CaptureError always names
 * the file and, where it applies, the byte offset and the frame number, so a
 * user can look at the same place with tshark or a hex editor.
 */
export type CaptureErrorKind =
  /** The file ends in the middle of a header or record. */
  | 'truncated'
  /** A header or length field is impossible (bad record length, bad block length, ...). */
  | 'corrupt'
  /** A valid capture in a variant we do not read (unknown version, unknown link type). */
  | 'unsupported'
  /** The file is not a pcap, pcapng or gzip-compressed capture at all. */
  | 'not-a-capture'
  /** The file cannot be opened or read. */
  | 'io';

export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    readonly file: string,
    readonly detail: string,
    /** Byte offset in the (decompressed) file where the problem starts, when known. */
    readonly offset?: number,
    /** 1-based number, within this file, of the frame being read when the problem was found. */
    readonly frame?: number,
  ) {
    super(CaptureError.format(kind, file, detail, offset, frame));
    this.name = 'CaptureError';
  }

  /** True for damage found part-way through a file: everything before it was read. */
  get isDamage(): boolean {
    return this.kind === 'truncated' || this.kind === 'corrupt';
  }

  private static format(kind: CaptureErrorKind, file: string, detail: string, offset?: number, frame?: number): string {
    const where: string[] = [];
    if (offset !== undefined) where.push(`byte ${offset}`);
    if (frame !== undefined) where.push(`frame ${frame}`);
    const label = kind === 'truncated' ? 'truncated' : kind === 'corrupt' ? 'corrupt' : kind === 'io' ? 'cannot read' : kind === 'not-a-capture' ? 'not a capture file' : 'unsupported';
    return `${file}: ${label}${where.length ? ` at ${where.join(', ')}` : ''}: ${detail}`;
  }
}
