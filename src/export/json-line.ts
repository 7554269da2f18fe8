/**
 * The one JSON serializer of every machine-readable output (read --format
 * ndjson|json, stats --format json, findings, messages, the extract manifest,
 * the UI's exports, and the worker threads that format sessions in
 * parallel): one place decides how text from the wire is written, so every
 * output, and the single- and multi-threaded reads, are byte-identical.
 *
 * JSON.stringify escapes only C0 controls. Text from the wire can also hold
 * C1 controls (U+009B is a one-byte CSI to many terminals) and the bidi
 * overrides and isolates (U+202A-202E, U+2066-2069, "Trojan Source") that
 * make a viewer show text other than what is there; U+2028 / U+2029 end a
 * line for JavaScript. They are written as \u escapes: the value is the
 * same to every JSON reader, and `cat`, `less` or `jq -r`'s caller see no
 * raw control.
 */
const UNSAFE_CHARS = '[\\u0080-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
/** One to test for (no g flag: a global expression's test() keeps its place between calls), one to replace all. */
const HAS_UNSAFE = new RegExp(UNSAFE_CHARS);
const UNSAFE = new RegExp(UNSAFE_CHARS, 'g');

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `indent`: as JSON.stringify's (2 for the pretty outputs). */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  // Outside strings JSON has only ASCII, so every match is inside a string and its escape is the same value.
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escape) : text;
}
