/**
 * The time zone times are shown in (--tz): UTC by default, like the JSON
 * outputs; "local" for the machine's zone; a fixed offset ("+01:00"); or an
 * IANA name ("Europe/Berlin", daylight saving time included), so that what
 * mailscope shows lines up with a server's own log. Set once per process
 * (and per worker thread) before anything is formatted: every text output
 * and the filters' times without a zone follow it. The JSON outputs stay in
 * UTC (their contract: ISO 8601 with Z).
 */

export type Zone =
  | { kind: 'utc' }
  | { kind: 'local' }
  | { kind: 'fixed'; minutes: number }
  | { kind: 'iana'; name: string; format: Intl.DateTimeFormat };

let zone: Zone = { kind: 'utc' };
let zoneText = 'UTC';

/** Reads a --tz value; throws an Error that says what is accepted. */
export function parseZone(text: string): Zone {
  const t = text.trim();
  if (/^(utc|z|gmt)$/i.test(t)) return { kind: 'utc' };
  if (/^local$/i.test(t)) return { kind: 'local' };
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(t);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    if (Math.abs(minutes) > 14 * 60 || Number(m[3]) > 59) throw new Error(`--tz ${t}: an offset goes from -14:00 to +14:00`);
    return { kind: 'fixed', minutes };
  }
  try {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: t, timeZoneName: 'longOffset' });
    return { kind: 'iana', name: format.resolvedOptions().timeZone, format };
  } catch {
    throw new Error(`--tz ${JSON.stringify(t)}: expected UTC, local, an offset such as +01:00, or a zone name such as Europe/Berlin`);
  }
}

export function setDisplayZone(text: string): void {
  zone = parseZone(text);
  zoneText = text.trim();
}

/** The --tz text in force ("UTC" by default), to hand to worker threads. */
export function displayZoneText(): string {
  return zoneText;
}

/** Minutes east of UTC at an instant (milliseconds since 1970) in the zone in force. */
export function offsetMinutes(ms: number, z: Zone = zone): number {
  switch (z.kind) {
    case 'utc': return 0;
    case 'fixed': return z.minutes;
    case 'local': return -new Date(ms).getTimezoneOffset();
    case 'iana': return ianaOffset(z, ms);
  }
}

/** IANA offsets change at most a few times a year: one per zone and hour is cached. */
const ianaCache = new Map<string, number>();

function ianaOffset(z: Extract<Zone, { kind: 'iana' }>, ms: number): number {
  const key = `${z.name}\n${Math.floor(ms / 3_600_000)}`;
  let minutes = ianaCache.get(key);
  if (minutes === undefined) {
    const name = z.format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    if (ianaCache.size > 10_000) ianaCache.clear();
    ianaCache.set(key, minutes);
  }
  return minutes;
}

/** "+01:00" for 60 minutes, "UTC" for 0 in UTC itself. */
function offsetText(minutes: number): string {
  if (zone.kind === 'utc') return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * A model timestamp ("2026-11-25T12:37:20.123456Z") in the zone in force,
 * as "2026-11-25T13:37:20.123456" (the fraction kept as written), and the
 * zone's name for that instant ("+01:00", or "UTC").
 */
export function inZone(iso: string): { text: string; zone: string } {
  if (zone.kind === 'utc') return { text: iso.endsWith('Z') ? iso.slice(0, -1) : iso, zone: 'UTC' };
  const ms = Date.parse(`${iso.slice(0, 19)}Z`);
  if (Number.isNaN(ms)) return { text: iso, zone: 'UTC' };
  const minutes = offsetMinutes(ms);
  const shifted = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  const frac = iso.slice(19).replace(/Z$/, '');
  return { text: shifted + frac, zone: offsetText(minutes) };
}

/** The timestamp as written (ISO, Z) in UTC; in another zone, shifted and followed by its offset ("2026-11-25T13:37:20.123456+01:00"). */
export function isoInZone(iso: string): string {
  const z = inZone(iso);
  return z.zone === 'UTC' ? iso : `${z.text}${z.zone}`;
}

/** HH:MM:SS of a timestamp in the zone in force (dense listings). */
export function clockTime(iso: string): string {
  return inZone(iso).text.slice(11, 19);
}

/** HH:MM:SS.ffffff of a timestamp in the zone in force (transcripts). */
export function clockTimeFine(iso: string): string {
  return inZone(iso).text.slice(11, 26);
}

/** "2026-11-25 13:37:20 +01:00" (or "... UTC"): a date and time for headers. */
export function dateTime(iso: string): string {
  const z = inZone(iso);
  return `${z.text.slice(0, 19).replace('T', ' ')} ${z.zone}`;
}

/** The zone in force's offset from UTC at an instant given in seconds since 1970, for reading a time written without a zone. */
export function offsetSecondsAt(epochSeconds: number): number {
  return offsetMinutes(epochSeconds * 1000) * 60;
}
