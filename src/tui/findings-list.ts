/**
 * The findings view's content: every finding of the sessions read so far
 * (each session's own, cached per session) and, once the load is done, the
 * capture-level ones (password guessing, replies slow for their server),
 * which are then also attached to the sessions they cite so the detail view
 * and the filter see them. Rebuilt only when the store or the load phase
 * changed.
 */
import { attachFindings, findingsFor, FindingsAccumulator, sortFindings, type Finding } from '../findings/index.js';
import type { Session } from '../session/model.js';
import type { SessionStore } from './session-store.js';

export class FindingsList {
  private key = '';
  private list: Finding[] = [];
  cursor = 0;
  top = 0;

  /** The findings, most severe first, then by session. */
  rows(store: SessionStore, done: boolean): readonly Finding[] {
    const key = `${store.version}/${done}`;
    if (key === this.key) return this.list;
    this.key = key;
    const acc = new FindingsAccumulator();
    const own: Finding[] = [];
    const sessions: Session[] = [];
    for (let i = 0; i < store.length; i++) {
      const s = store.at(i);
      sessions.push(s);
      own.push(...findingsFor(s).filter((f) => f.scope === 'session'));
      acc.feed(s);
    }
    const capture = acc.finish();
    if (done) attachFindings(sessions, capture);
    const bySession = (f: Finding) => f.evidence[0]?.session ?? 0;
    this.list = sortFindings([...capture, ...own.sort((a, b) => bySession(a) - bySession(b))]);
    this.cursor = Math.min(this.cursor, Math.max(0, this.list.length - 1));
    return this.list;
  }

  move(delta: number, height: number): void {
    this.cursor = Math.max(0, Math.min(this.list.length - 1, this.cursor + delta));
    if (this.cursor < this.top) this.top = this.cursor;
    if (this.cursor >= this.top + height) this.top = this.cursor - height + 1;
  }

  selected(): Finding | undefined {
    return this.list[this.cursor];
  }
}

/** The session of the store with this id (sessions arrive out of id order). */
export function sessionById(store: SessionStore, id: number): Session | undefined {
  for (let i = 0; i < store.length; i++) if (store.at(i).id === id) return store.at(i);
  return undefined;
}
