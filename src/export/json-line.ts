/**
 * The one JSON serializer of every machine-readable output (read --format
 * ndjson|json, stats --format json, the extract manifest, the UI's exports,
 * and the worker threads that format sessions in parallel): one place decides
 * how text from the wire is written, so every output, and the single- and
 * multi-threaded reads, are byte-identical.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value);
}
