/**
 * The NSS key log format (what SSLKEYLOGFILE makes browsers, curl, Python's
 * ssl module and node's tls 'keylog' event write): one secret per line,
 * `LABEL <client random, 64 hex> <secret, hex>`, `#` comments. Lines that do
 * not parse are counted, never fatal: key logs are often concatenated by hand.
 *
 * TLS 1.2: CLIENT_RANDOM carries the 48-byte master secret, whichever way it
 * was derived (the extended master secret of RFC 7627 included).
 * TLS 1.3: the four traffic secrets of RFC 8446 7.1; later ones come from
 * KeyUpdate (derived, never logged).
 */

/** The secrets logged for one connection (one client random). */
export interface ConnectionSecrets {
  /** TLS 1.2 master secret (CLIENT_RANDOM). */
  master?: Buffer;
  clientHandshake?: Buffer;
  serverHandshake?: Buffer;
  clientTraffic0?: Buffer;
  serverTraffic0?: Buffer;
}

const LABELS: Record<string, keyof ConnectionSecrets> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshake',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshake',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic0',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic0',
};

const HEX = /^[0-9a-fA-F]+$/;

export class KeyLog {
  private readonly byRandom = new Map<string, ConnectionSecrets>();
  /** Lines that were neither comments, blank, nor a well-formed secret line. */
  badLines = 0;
  /** Well-formed lines with a label we do not use (EXPORTER_SECRET, EARLY_TRAFFIC_SECRET, RSA ...). */
  ignoredLines = 0;

  /** Adds every line of a key log text. */
  add(text: string): void {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const parts = line.split(/\s+/);
      if (parts.length !== 3 || !HEX.test(parts[1]) || !HEX.test(parts[2]) || parts[1].length !== 64 || parts[2].length % 2 !== 0) {
        this.badLines++;
        continue;
      }
      const field = LABELS[parts[0]];
      if (field === undefined) {
        this.ignoredLines++;
        continue;
      }
      const secret = Buffer.from(parts[2], 'hex');
      if (field === 'master' && secret.length !== 48) {
        this.badLines++;
        continue;
      }
      const key = parts[1].toLowerCase();
      let entry = this.byRandom.get(key);
      if (entry === undefined) this.byRandom.set(key, (entry = {}));
      entry[field] = secret;
    }
  }

  /** The secrets of the connection whose ClientHello carried this random. */
  lookup(clientRandom: Buffer): ConnectionSecrets | undefined {
    return this.byRandom.get(clientRandom.toString('hex'));
  }

  /** Connections with at least one secret. */
  get size(): number {
    return this.byRandom.size;
  }
}

/** Looks secrets up when a connection's hello is seen: lazily, so secrets that arrive while reading (pcapng DSBs) count. */
export type SecretLookup = (clientRandom: Buffer) => ConnectionSecrets | undefined;
