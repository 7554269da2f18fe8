/**
 * Quick filters: one key for each common question. Each fills in the filter
 * expression that asks it, so the filter bar shows people the syntax.
 */

export interface QuickFilter {
  /** The key that applies it in the session list. */
  key: string;
  /** What it asks, for the help screen. */
  label: string;
  /** The display-filter expression it fills in. */
  expression: string;
}

export const QUICK_FILTERS: readonly QuickFilter[] = [
  { key: 'a', label: 'failed authentication', expression: 'auth.failed' },
  { key: '4', label: 'SMTP 4xx (temporary failure)', expression: 'smtp.response.code in {400..499}' },
  { key: '5', label: 'SMTP 5xx (permanent failure)', expression: 'smtp.response.code >= 500' },
  { key: 'p', label: 'POP3 -ERR', expression: 'pop.response.indicator == "-ERR"' },
  { key: 'i', label: 'IMAP NO or BAD', expression: 'imap.response.status == "NO" || imap.response.status == "BAD"' },
  { key: 't', label: 'TLS (implicit or STARTTLS)', expression: 'tls' },
  { key: 'x', label: 'sessions with anomalies (gaps, malformed replies ...)', expression: 'anomaly.kind' },
  { key: '0', label: 'clear the filter', expression: '' },
];

/**
 * The anomaly question depends on the field the engine names it by: the first
 * of these the engine knows is used.
 */
const ANOMALY_EXPRESSIONS: readonly [field: string, expression: string][] = [
  ['session.anomalies', 'session.anomalies > 0'],
  ['session.anomaly_count', 'session.anomaly_count > 0'],
  ['anomaly', 'anomaly'],
  ['anomaly.kind', 'anomaly.kind'],
  ['anomalies', 'anomalies'],
];

/** The quick filters, with expressions fitted to the engine's field list. */
export function quickFilters(fieldNames: readonly string[]): QuickFilter[] {
  const known = new Set(fieldNames);
  const anomaly = ANOMALY_EXPRESSIONS.find(([field]) => known.has(field));
  return QUICK_FILTERS.map((q) => (q.key === 'x' && anomaly ? { ...q, expression: anomaly[1] } : q));
}
