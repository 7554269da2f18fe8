/**
 * The terminal UI: session list, filter bar, detail view, export, help.
 * State that is big or changes per session (the sessions, the filtered and
 * sorted rows) lives in SessionStore and ListModel, outside React; React
 * state holds only what the screen is doing, and a counter to redraw.
 */
import { Box, useApp, type Key } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { extractMessages } from '../cli/extract-command.js';
import { compileFilter } from '../filter/index.js';
import { nextLang, type Lang } from '../explain/index.js';
import type { Session } from '../session/model.js';
import type { KeyLog } from '../tls/keylog.js';
import { layoutColumns } from './columns.js';
import { buildDetailLines, type DetailLine } from './detail-lines.js';
import { DetailView } from './DetailView.js';
import { linesWith, nextTarget, topFor } from './detail-search.js';
import { afterWriteError, exportKey, firstExportStep, firstExtractStep, type ExportContext, type ExportStep } from './export-dialog.js';
import { describeExport, exportSessions, type SessionSource } from './export-sessions.js';
import { ExportPrompt } from './ExportPrompt.js';
import { listFields, type CompiledFilter } from './filter-adapter.js';
import { FilterBar } from './FilterBar.js';
import { findingsFor } from '../findings/index.js';
import { FindingsList } from './findings-list.js';
import { FindingsView } from './FindingsView.js';
import { Footer, type Screen } from './Footer.js';
import { helpLines, helpPosition, HelpScreen } from './HelpScreen.js';
import { ListModel } from './list-model.js';
import { quickFilters } from './quick-filters.js';
import type { QuitView } from './quit-summary.js';
import { replySeverity } from './row-cells.js';
import { SessionList } from './SessionList.js';
import { StatsView } from './StatsView.js';
import { SearchLine } from './SearchLine.js';
import { editLine, lineOf, type LineState } from './internal/line-editor.js';
import { ScanAhead, SessionStore } from './session-store.js';
import type { StoreSessions } from './store-sessions.js';
import { sortChoice } from './sort-chooser.js';
import { SortPrompt } from './SortPrompt.js';
import { StatsJob } from './stats-job.js';
import { StatusBar } from './StatusBar.js';
import { useFilter } from './use-filter.js';
import { useKeys } from './use-keys.js';
import { useSessions, type LoadState, type SessionLoader } from './use-sessions.js';
import { useTerminalSize } from './use-terminal-size.js';
import { describeWriteError } from './write-error.js';

export interface AppProps {
  /** What is open (file names), for the top line. */
  title: string;
  loader: SessionLoader;
  /** A filter to start with. */
  initialFilter?: string;
  /** How often sessions being read are taken into the list (ms). */
  batchMs?: number;
  /** Called as the UI quits, with the load's final state and what the list showed (for the summary printed after). */
  onQuit?(load: LoadState, view: QuitView): void;
  /** The capture read, for x: extraction reads it again for the message bytes (the sessions keep only a bounded part). */
  capture?: ExtractSource;
  /** Language of the explanations to start with (L switches). */
  lang?: Lang;
  /** JSON bytes of whole sessions kept in memory (the rest go to a scratch file); RESIDENT_BYTES by default. */
  residentBytes?: number;
  /** The sessions carry secrets (--show-secrets): filters on passwords can match. */
  showSecrets?: boolean;
  /** The sessions are in a ClickHouse store: the loader gives rows, and sessions are fetched from there. */
  remote?: StoreSessions;
}

/** What x needs to read the capture again. */
export interface ExtractSource {
  files: string[];
  showSecrets: boolean;
  decodeAs: string[];
  keylog?: KeyLog;
}

/** Extracts one session's messages and attachments into `folder` with the code behind `mailscope extract`; a line for the footer. */
async function extractSession(source: ExtractSource, session: Session, folder: string): Promise<{ text: string; error?: boolean }> {
  const warnings: string[] = [];
  const r = await extractMessages({
    files: source.files, out: folder, overwrite: false, filter: compileFilter(`session.id == ${session.id}`),
    showSecrets: source.showSecrets, decodeAs: source.decodeAs, loadKeys: () => source.keylog, warn: (l) => warnings.push(l),
  });
  if (!r) return { text: warnings[0]?.replace(/^mailscope: /, '') ?? `could not extract to ${folder}`, error: true };
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  return {
    text: `extracted ${n(r.messages, 'message')} and ${n(r.attachments, 'attachment')} of session ${session.id} to ${folder} (${r.manifest})` +
      (r.truncated > 0 ? `; ${n(r.truncated, 'file')} truncated` : '') + (r.skipped > 0 ? `; ${n(r.skipped, 'file')} skipped` : '') +
      (warnings.length ? `; ${warnings[0]}` : ''),
    error: r.code !== 0 && r.messages === 0,
  };
}

/** The exchanges a filter matched in a session (none when the filter fails on it). */
function matchedSet(filter: CompiledFilter, session: Session): Set<number> {
  try {
    return new Set(filter.matchingExchanges(session));
  } catch {
    return new Set();
  }
}

/** Lines of the transcript proper (not the facts above it), where n / N stop. */
const TRANSCRIPT_KINDS = new Set(['client', 'server', 'warn', 'error']);

/** One value, rebuilt only when any of the things it was built from (compared by identity) changed. */
/** Milliseconds of background work (a filter's scan, statistics) between looks at the keyboard. */
const SLICE_MS = 30;

/** The sessions at these store indices, read back one at a time, fetched a slice ahead from a ClickHouse store (the indices are copied: the list may re-sort). */
function filteredSessions(store: SessionStore, indices: readonly number[]): SessionSource {
  const picked = indices.slice();
  const ahead = new ScanAhead(store);
  return {
    length: picked.length,
    get: (i) => {
      ahead.before(i, (from, to) => picked.slice(from, to));
      return ahead.peek(picked[i]);
    },
  };
}

class KeyedCache<T> {
  private key: readonly unknown[] = [];
  private value: T | undefined;

  get(key: readonly unknown[], build: () => T): T {
    if (this.value !== undefined && key.length === this.key.length && key.every((k, i) => k === this.key[i])) return this.value;
    this.key = key;
    this.value = build();
    return this.value;
  }
}

/** The export dialog's footer: extracting asks for a folder, exporting for a file. */
function exportFooter(step: ExportStep): 'export' | 'extract' {
  return step.kind === 'folder' || step.kind === 'extracting' ? 'extract' : 'export';
}

interface DetailState {
  session: Session;
  top: number;
  unfold: boolean;
  /** A search in the transcript ("/"): the text, and whether it is still being typed. */
  search?: { line: LineState; editing: boolean };
}

/** What the screen is doing; kept in a ref and changed by keys directly (see use-keys.ts), then drawn. */
interface UiState {
  screen: Screen;
  detail: DetailState | null;
  helpTop: number;
  notice?: { text: string; error?: boolean };
  /** The screen the export dialog returns to, and its step. */
  exportFrom: 'list' | 'detail';
  exportStep: ExportStep;
  /** Where Esc in the detail view goes back to: the list, or the findings view it was opened from. */
  detailFrom?: 'list' | 'findings';
  /** Language of the explanations in the detail view. */
  lang: Lang;
  /** First line of the statistics view. */
  statsTop: number;
}

const LANG_NAMES: Record<Lang, string> = { en: 'English', zh: 'Simplified Chinese (简体中文)' };

export function App({ title, loader, initialFilter = '', batchMs = 200, onQuit, capture, lang = 'en', residentBytes, showSecrets = false, remote }: AppProps) {
  const { exit } = useApp();
  const findings = useRef(new FindingsList()).current;
  const store = useRef(new SessionStore({ residentBytes, onAdd: (s) => findings.take(s), remote })).current;
  const model = useRef(new ListModel(store)).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const load = useSessions(loader, store, model, batchMs);
  const loadRef = useRef(load);
  loadRef.current = load;
  const filter = useFilter(initialFilter, showSecrets);
  const quick = useMemo(() => quickFilters(listFields().map((f) => f.name)), []);
  const { columns: width, rows } = useTerminalSize();
  const ui = useRef<UiState>({ screen: 'list', detail: null, helpTop: 0, exportFrom: 'list', exportStep: { kind: 'scope' }, lang, statsTop: 0 }).current;

  // The applied filter drives the list: re-filter when it changes (checked on every key, before the next key acts).
  const filteredBy = useRef<CompiledFilter | null | undefined>(undefined);
  const syncFilter = () => {
    const applied = filter.current().applied;
    if (filteredBy.current !== applied) {
      filteredBy.current = applied;
      // Over a ClickHouse store, the store's SQL answer says which sessions to look at (store-sessions.ts).
      const predicate = applied && remote ? remote.narrow(applied, filter.current().appliedText) : applied;
      model.setFilter(predicate, performance.now() + SLICE_MS);
      const untranslated = remote?.takeUntranslated();
      if (untranslated) ui.notice = { text: untranslated };
    }
  };
  syncFilter();

  const height = Math.max(8, rows - 1);
  const listRows = Math.max(1, height - 5);
  const columns = useMemo(() => layoutColumns(width), [width]);
  const detailWidth = Math.max(20, width - 2);

  // Detail lines are built on demand and cached by what they depend on, so a key can use them before the next draw.
  const linesCache = useRef(new KeyedCache<{ lines: DetailLine[]; targets: number[] }>()).current;
  const detailLines = () => {
    let d = ui.detail;
    if (!d) return { lines: [], targets: [] };
    // A live session in progress may have a newer version (or have ended) since it was opened.
    const latest = store.byId(d.session.id);
    if (latest && latest !== d.session) d = ui.detail = { ...d, session: latest };
    const f = filter.current().applied;
    const session = d.session;
    const unfold = d.unfold;
    return linesCache.get([session, unfold, detailWidth, f, findingsFor(session), ui.lang], () => buildDetail(session, unfold, f));
  };
  const buildDetail = (session: Session, unfold: boolean, f: CompiledFilter | null) => {
    const matched = f ? matchedSet(f, session) : new Set<number>();
    const lines = buildDetailLines(session, { width: detailWidth, matched, unfold, lang: ui.lang });
    // Lines where a failing or matched exchange starts, for n / N.
    const targets: number[] = [];
    let prev: number | undefined;
    lines.forEach((l, i) => {
      if (!TRANSCRIPT_KINDS.has(l.kind)) return;
      if (l.exchange !== undefined && l.exchange !== prev) {
        if (l.matched || replySeverity(session.exchanges[l.exchange]?.reply) !== 'ok') targets.push(i);
      }
      prev = l.exchange;
    });
    return { lines, targets };
  };
  const findingsHeight = () => Math.max(2, height - 2);
  // The statistics of the sessions the list shows, counted again only when they or the language changed (formatStatsText escapes wire text).
  // While a large file loads, at most once a second; the counting itself goes in slices (see the pump below).
  const statsCache = useRef(new KeyedCache<StatsJob>()).current;
  const statsOf = useRef({ version: -1, at: 0 }).current;
  const statsJob = () => {
    if (statsOf.version !== store.version && (loadRef.current.phase !== 'loading' || performance.now() - statsOf.at >= 1000)) {
      statsOf.version = store.version;
      statsOf.at = performance.now();
    }
    return statsCache.get([statsOf.version, filter.current().applied, ui.lang, model.behind === 0], () => new StatsJob(store, model.allIndices(), ui.lang));
  };
  const statsLines = () => {
    const job = statsJob();
    if (!job.done) job.step(performance.now() + SLICE_MS);
    return job.lines();
  };
  const findingRows = () => {
    // Over a ClickHouse store the sessions are read for their findings when the view is first opened.
    if (findings.behind(store) > 0) findings.scan(store, performance.now() + SLICE_MS);
    return findings.rows(store, loadRef.current.phase !== 'loading' && findings.behind(store) === 0);
  };
  const detailHeight = () => Math.max(1, height - 2 - (ui.screen === 'export' && ui.exportFrom === 'detail' ? 2 : 0));
  const clampTop = (top: number) => Math.max(0, Math.min(top, Math.max(0, detailLines().lines.length - detailHeight())));

  // A query to a ClickHouse store that failed inside a scan (a filter's, the statistics'): said in the footer.
  const storeError = remote?.takeError();
  if (storeError) ui.notice = { text: `the store did not answer: ${storeError}`, error: true };

  const quit = () => {
    onQuit?.(loadRef.current, { shown: model.length, filter: filter.state.appliedText, complete: model.behind === 0 });
    exit();
  };
  const scrollDetail = (to: (top: number) => number) => {
    if (ui.detail) ui.detail = { ...ui.detail, top: clampTop(to(ui.detail.top)) };
  };
  /** Lines of the detail view holding the search text. */
  const searchHits = (): number[] => linesWith(detailLines().lines, ui.detail?.search?.line.text ?? '');
  /** Scrolls to the next (1) or previous (-1) line with the search text; `here`: the visible top counts. */
  const findInDetail = (dir: 1 | -1, here: boolean) => {
    const d = ui.detail;
    if (!d?.search) return;
    const hits = searchHits();
    const hit = nextTarget(hits, d.top, dir, here);
    if (hit !== undefined) scrollDetail(() => topFor(hit));
    else ui.notice = { text: hits.length ? `no ${dir === 1 ? 'later' : 'earlier'} line with "${d.search.line.text}"` : `"${d.search.line.text}" is not in this session`, error: true };
  };
  /** Keys while the search text is typed: Enter finds, Esc cancels, the rest edits. */
  const searchKeys = (input: string, key: Key) => {
    const d = ui.detail;
    if (!d?.search) return;
    if (key.escape) ui.detail = { ...d, search: undefined };
    else if (key.return) {
      if (d.search.line.text === '') ui.detail = { ...d, search: undefined };
      else {
        ui.detail = { ...d, search: { ...d.search, editing: false } };
        findInDetail(1, true);
      }
    } else {
      const line = editLine(d.search.line, input, key);
      if (line) ui.detail = { ...d, search: { line, editing: true } };
    }
  };
  /** A session read back for a view; over a ClickHouse store that can fail (the store gone), which the footer then says. */
  const readSession = (read: () => Session | undefined): Session | undefined => {
    try {
      return read();
    } catch (err) {
      ui.notice = { text: `could not read the session: ${(err as Error).message}`, error: true };
      return undefined;
    }
  };
  const selectedSession = () => readSession(() => model.selected());
  const show = (screen: Screen) => {
    ui.screen = screen;
  };
  /** L: the explanations (detail view, exports, statistics) in the next language. */
  const switchLang = () => {
    ui.lang = nextLang(ui.lang);
    ui.notice = { text: `explanations in ${LANG_NAMES[ui.lang]}` };
  };

  const exportContext = (): ExportContext => {
    const selected = ui.exportFrom === 'detail' ? ui.detail?.session : selectedSession();
    return { selected, filteredCount: model.length, filtered: () => filteredSessions(store, model.allIndices()) };
  };
  const startExport = (from: 'list' | 'detail') => {
    ui.exportFrom = from;
    ui.exportStep = firstExportStep(exportContext(), from === 'detail');
    show('export');
  };
  const exportKeys = (input: string, key: Key) => {
    const { step, action } = exportKey(ui.exportStep, input, key, exportContext());
    ui.exportStep = step;
    if (action?.kind === 'cancel') show(ui.exportFrom);
    if (action?.kind === 'write' && step.kind === 'writing') {
      const f = filter.current().applied;
      exportSessions(step.sessions, step.format, step.line.text, action.overwrite, f ? (s) => matchedSet(f, s) : undefined, ui.lang).then(
        (r) => {
          ui.notice = { text: describeExport(r) };
          show(ui.exportFrom);
          redraw();
        },
        (err: unknown) => {
          ui.exportStep = afterWriteError(step, err);
          redraw();
        },
      );
    }
    if (action?.kind === 'extract' && step.kind === 'extracting') {
      const session = step.sessions.get(0);
      const done = (notice: { text: string; error?: boolean }) => {
        ui.notice = notice;
        show(ui.exportFrom);
        redraw();
      };
      // A live capture keeps no packets unless it writes them: the messages' bytes are gone.
      if (!capture) done({ text: 'nothing to extract from: a live capture keeps no packets; start it with -w FILE to extract', error: true });
      else extractSession(capture, session, step.line.text).then(done, (err: unknown) => {
        ui.exportStep = { kind: 'folder', sessions: step.sessions, line: step.line, error: describeWriteError(err, step.line.text, 'extract to') };
        redraw();
      });
    }
  };

  useKeys((input, key) => {
    ui.notice = undefined;
    handleKey(input, key);
    syncFilter();
    redraw();
  });

  const handleKey = (input: string, key: Key) => {
    // Ctrl-C quits from any screen, as q does from most (run-ui turns Ink's own Ctrl-C exit off, which would skip onQuit).
    if (key.ctrl && input === 'c') return quit();
    if (ui.screen === 'export') return exportKeys(input, key);
    if (ui.screen === 'filter') {
      if (key.return) {
        if (filter.apply()) show('list');
      } else if (key.escape) {
        filter.revert();
        show('list');
      } else {
        filter.edit(input, key);
      }
      return;
    }
    if (ui.screen === 'detail' && ui.detail?.search?.editing) return searchKeys(input, key);
    if (ui.screen === 'help') {
      const page = height - 2;
      const last = Math.max(0, helpLines(quick).length - page);
      const scroll = (to: number) => (ui.helpTop = Math.max(0, Math.min(last, to)));
      if (key.escape || input === '?' || input === 'q') show(ui.detail ? 'detail' : 'list');
      else if (key.downArrow || input === 'j') scroll(ui.helpTop + 1);
      else if (key.upArrow || input === 'k') scroll(ui.helpTop - 1);
      else if (key.pageDown || input === ' ') scroll(ui.helpTop + page - 1);
      else if (key.pageUp) scroll(ui.helpTop - (page - 1));
      else if (input === 'g' || key.home) scroll(0);
      else if (input === 'G' || key.end) scroll(last);
      return;
    }
    if (ui.screen === 'sort') {
      const choice = sortChoice(input, key.escape, columns, model.sort);
      if (choice.kind === 'sort') model.setSort(choice.order);
      if (choice.kind !== 'none') show('list');
      return;
    }
    if (input === '?') {
      ui.helpTop = 0;
      return show('help');
    }
    if (input === 'q') return quit();
    if (ui.screen === 'stats') {
      const page = height - 3;
      const last = Math.max(0, statsLines().length - page);
      if (key.escape || input === 'o' || key.leftArrow) show('list');
      else if (key.downArrow || input === 'j') ui.statsTop = Math.min(last, ui.statsTop + 1);
      else if (key.upArrow || input === 'k') ui.statsTop = Math.max(0, ui.statsTop - 1);
      else if (key.pageDown || input === ' ') ui.statsTop = Math.min(last, ui.statsTop + page);
      else if (key.pageUp) ui.statsTop = Math.max(0, ui.statsTop - page);
      else if (input === 'g' || key.home) ui.statsTop = 0;
      else if (input === 'G' || key.end) ui.statsTop = last;
      return;
    }
    if (ui.screen === 'findings') {
      findingRows();
      const page = findingsHeight() - 1;
      if (key.escape || input === 'f' || key.leftArrow) show('list');
      else if (key.downArrow || input === 'j') findings.move(1, page);
      else if (key.upArrow || input === 'k') findings.move(-1, page);
      else if (key.pageDown || input === ' ') findings.move(page - 1, page);
      else if (key.pageUp) findings.move(-(page - 1), page);
      else if (input === 'g' || key.home) findings.move(-Number.MAX_SAFE_INTEGER, page);
      else if (input === 'G' || key.end) findings.move(Number.MAX_SAFE_INTEGER, page);
      else if (key.return) {
        const f = findings.selected();
        const s = f && f.evidence[0] ? readSession(() => store.byId(f.evidence[0].session)) : undefined;
        if (s) {
          ui.detail = { session: s, top: 0, unfold: false };
          ui.detailFrom = 'findings';
          show('detail');
        }
      }
      return;
    }
    if (ui.screen === 'detail' && ui.detail) {
      const d = ui.detail;
      const page = detailHeight() - 1;
      if (key.escape && d.search) ui.detail = { ...d, search: undefined };
      else if (input === '/') ui.detail = { ...d, search: { line: lineOf(''), editing: true } };
      else if ((input === 'n' || input === 'N') && d.search) findInDetail(input === 'n' ? 1 : -1, false);
      else if (key.escape || key.backspace || key.leftArrow) {
        ui.detail = null;
        show(ui.detailFrom === 'findings' ? 'findings' : 'list');
        ui.detailFrom = 'list';
      } else if (key.downArrow || input === 'j') scrollDetail((t) => t + 1);
      else if (key.upArrow || input === 'k') scrollDetail((t) => t - 1);
      else if (key.pageDown || input === ' ') scrollDetail((t) => t + page);
      else if (key.pageUp) scrollDetail((t) => t - page);
      else if (input === 'g' || key.home) scrollDetail(() => 0);
      else if (input === 'G' || key.end) scrollDetail(() => Number.MAX_SAFE_INTEGER);
      else if (input === 'n' || input === 'N') {
        const target = nextTarget(detailLines().targets, d.top, input === 'n' ? 1 : -1);
        if (target !== undefined) scrollDetail(() => topFor(target));
      } else if (key.tab) ui.detail = { ...d, unfold: !d.unfold };
      else if (input === 'L') switchLang();
      else if (input === 'e') startExport('detail');
      else if (input === 'x') {
        if (d.session.messages.length === 0) ui.notice = { text: `session ${d.session.id} carries no message to extract`, error: true };
        else {
          ui.exportFrom = 'detail';
          ui.exportStep = firstExtractStep(d.session);
          show('export');
        }
      }
      return;
    }
    // The session list.
    if (key.downArrow || input === 'j') model.move(1);
    else if (key.upArrow || input === 'k') model.move(-1);
    else if (key.pageDown) model.move(listRows - 1);
    else if (key.pageUp) model.move(-(listRows - 1));
    else if (input === 'g' || key.home) model.home();
    else if (input === 'G' || key.end) model.end();
    else if (key.return) {
      const s = selectedSession();
      if (s) {
        ui.detail = { session: s, top: 0, unfold: false };
        show('detail');
      }
    } else if (input === '/' || key.tab) show('filter');
    else if (input === 's') {
      const keys = columns.map((c) => c.key);
      const at = keys.indexOf(model.sort.column);
      model.setSort({ column: keys[(at + 1) % keys.length], descending: false });
    } else if (input === 'S') show('sort');
    else if (input === 'L') switchLang();
    else if (input === 'e') {
      if (model.length > 0) startExport('list');
    } else if (input === 'f') show('findings');
    else if (input === 'o') {
      ui.statsTop = 0;
      show('stats');
    } else {
      const q = quick.find((f) => f.key === input);
      if (q) filter.applyExpression(q.expression);
    }
  };

  // Background work goes on in slices between renders, so keys are read between slices: the rest of a
  // filter's scan over a big store, and the statistics view's counting.
  useEffect(() => {
    const pending = model.behind > 0 || (ui.screen === 'stats' && !statsJob().done) || (ui.screen === 'findings' && findings.behind(store) > 0);
    if (!pending) return;
    const timer = setTimeout(() => {
      if (model.behind > 0) model.sync(performance.now() + SLICE_MS);
      redraw();
    }, 0);
    return () => clearTimeout(timer);
  });

  const filtered = filter.state.appliedText !== '';
  const scanned = model.behind > 0 ? 1 - model.behind / Math.max(1, store.length) : undefined;
  const status = <StatusBar title={title} load={load} shown={model.length} filtered={filtered} scanned={scanned} width={width} />;
  // Built only on the export screen: the selected session may have to be read back (from the scratch file, or a ClickHouse store).
  const exportPrompt = ui.screen === 'export'
    ? <ExportPrompt step={ui.exportStep} selected={exportContext().selected} filteredCount={model.length} width={width} />
    : null;

  if (ui.screen === 'help') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {status}
        <HelpScreen quick={quick} width={width} height={height - 2} top={ui.helpTop} />
        <Footer screen="help" width={width} position={helpPosition(helpLines(quick).length, ui.helpTop, height - 2)} />
      </Box>
    );
  }
  if (ui.detail && (ui.screen === 'detail' || (ui.screen === 'export' && ui.exportFrom === 'detail'))) {
    const { lines } = detailLines();
    return (
      <Box flexDirection="column" width={width} height={height}>
        {status}
        <DetailView lines={lines} top={clampTop(ui.detail.top)} height={detailHeight()} width={width}
          search={ui.detail.search && !ui.detail.search.editing ? ui.detail.search.line.text : ''} />
        {ui.screen === 'export' ? exportPrompt : null}
        {ui.screen === 'detail' && ui.detail.search && !ui.notice
          ? <SearchLine line={ui.detail.search.line} editing={ui.detail.search.editing} matches={ui.detail.search.editing ? 0 : searchHits().length} width={width} />
          : <Footer screen={ui.screen === 'export' ? exportFooter(ui.exportStep) : 'detail'} width={width} notice={ui.notice} />}
      </Box>
    );
  }
  if (ui.screen === 'stats') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {status}
        <StatsView lines={statsLines()} top={ui.statsTop} height={height - 2} width={width} filter={filter.state.appliedText} />
        <Footer screen="stats" width={width} notice={ui.notice} />
      </Box>
    );
  }
  if (ui.screen === 'findings') {
    const rows = findingRows();
    return (
      <Box flexDirection="column" width={width} height={height}>
        {status}
        <FindingsView findings={rows} cursor={findings.cursor} top={findings.top} height={findingsHeight()} width={width} loading={load.phase === 'loading' || findings.behind(store) > 0} />
        <Footer screen="findings" width={width} notice={ui.notice} />
      </Box>
    );
  }
  const empty = load.phase === 'loading' ? 'reading…' : filtered ? 'no session matches the filter' : 'no mail sessions in this capture';
  return (
    <Box flexDirection="column" width={width} height={height}>
      {status}
      <SessionList store={store} model={model} columns={columns} height={listRows} width={width} empty={empty} />
      {ui.screen === 'export'
        ? exportPrompt
        : ui.screen === 'sort'
          ? <SortPrompt columns={columns} sort={model.sort} width={width} />
          : <FilterBar filter={filter.state} focused={ui.screen === 'filter'} width={width} shown={model.length} quick={quick} />}
      <Footer screen={ui.screen === 'export' ? exportFooter(ui.exportStep) : ui.screen === 'filter' || ui.screen === 'sort' ? ui.screen : 'list'} width={width} notice={ui.notice} />
    </Box>
  );
}
