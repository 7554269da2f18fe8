/**
 * The statistics view's numbers, gathered in slices: a million sessions take
 * seconds to read back from the store, so the view shows what is counted so
 * far (and how far it got) while keys keep working.
 */
import type { Lang } from '../explain/index.js';
import { StatsAccumulator } from '../export/stats.js';
import { formatStatsText } from '../export/stats-text.js';
import { ScanAhead, type SessionStore } from './session-store.js';

export class StatsJob {
  private readonly acc: StatsAccumulator;
  private readonly indices: readonly number[];
  private next = 0;
  private readonly ahead: ScanAhead;
  private text: string[] | null = null;
  /** Why counting stopped short (a ClickHouse store that did not answer). */
  private failure: string | null = null;

  /** `indices`: the store indices to count (copied: the list may re-sort its own array meanwhile). */
  constructor(store: SessionStore, indices: readonly number[], lang: Lang) {
    this.acc = new StatsAccumulator(lang);
    this.indices = indices.slice();
    this.ahead = new ScanAhead(store);
  }

  get done(): boolean {
    return this.next >= this.indices.length || this.failure !== null;
  }

  /** Counts sessions until `deadline` (performance.now()). */
  step(deadline: number): void {
    const n = this.indices.length;
    while (this.next < n) {
      // Over a ClickHouse store, a slice of sessions is fetched in one query.
      this.ahead.before(this.next, (from, to) => this.indices.slice(from, to));
      let s;
      try {
        s = this.ahead.peek(this.indices[this.next]);
      } catch (err) {
        this.failure = (err as Error).message;
        break;
      }
      this.next++;
      this.acc.add(s);
      if ((this.next & 127) === 0 && performance.now() >= deadline) break;
    }
    this.text = null;
  }

  /** The statistics text so far; while counting, a first line says how far it got. */
  lines(): string[] {
    this.text ??= formatStatsText(this.acc.result()).trimEnd().split('\n');
    const counted = `${this.next.toLocaleString('en-US')} of ${this.indices.length.toLocaleString('en-US')} sessions`;
    if (this.failure) return [`(stopped after ${counted}: ${this.failure})`, ...this.text];
    if (this.done) return this.text;
    const pct = Math.floor((100 * this.next) / this.indices.length);
    return [`(counting: ${counted}, ${pct}%)`, ...this.text];
  }
}
