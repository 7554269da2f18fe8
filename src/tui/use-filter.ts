/**
 * The filter bar's state: the expression being typed (checked on every
 * keystroke: empty, valid or invalid with the parser's error), the applied
 * filter, the history and field completion.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { checkFilter, compileFilter, listFields, type CompiledFilter, type FilterError } from './filter-adapter.js';
import { FilterHistory } from './filter-history.js';
import { completeField } from './internal/complete-field.js';
import { editLine, lineOf, type EditKey, type LineState } from './internal/line-editor.js';

export type FilterStatus =
  | { kind: 'empty' }
  | { kind: 'valid' }
  | { kind: 'invalid'; error: FilterError };

export interface FilterState {
  line: LineState;
  status: FilterStatus;
  /** The expression in force ('' for none) and its compiled form. */
  appliedText: string;
  applied: CompiledFilter | null;
  /** Field names offered by the last Tab, when it was ambiguous. */
  candidates: string[];
}

export interface FilterControls {
  /** The state as last drawn. */
  state: FilterState;
  /** The state now (changed by keys not yet drawn). */
  current(): FilterState;
  history: readonly string[];
  /** Handles a key typed in the bar; returns true when it was used. */
  edit(input: string, key: EditKey & { upArrow?: boolean; downArrow?: boolean; tab?: boolean }): boolean;
  /** Applies the draft; returns false (and keeps the bar open) when it does not parse. */
  apply(): boolean;
  /** Puts an expression in the bar and applies it (quick filters). */
  applyExpression(expression: string): boolean;
  /** Puts the applied expression back in the bar. */
  revert(): void;
}

function statusOf(text: string, secretsShown: boolean): FilterStatus {
  if (text.trim() === '') return { kind: 'empty' };
  const error = checkFilter(text, { secretsShown });
  return error ? { kind: 'invalid', error } : { kind: 'valid' };
}

/** `secretsShown`: the sessions carry secrets (--show-secrets), so filters on passwords can match. */
export function useFilter(initial = '', secretsShown = false): FilterControls {
  const history = useRef(new FilterHistory()).current;
  const fields = useMemo(() => listFields().map((f) => f.name), []);
  const [state, setState] = useState<FilterState>(() => {
    const status = statusOf(initial, secretsShown);
    return {
      line: lineOf(initial), status, candidates: [],
      appliedText: status.kind === 'valid' ? initial : '',
      applied: status.kind === 'valid' ? compileFilter(initial, { secretsShown }) : null,
    };
  });
  // The state is kept in a ref as well and changed there first: several keys
  // can arrive before React draws again, and each must see the one before.
  const ref = useRef(state);
  const update = useCallback((next: FilterState) => {
    ref.current = next;
    setState(next);
  }, []);

  const setLine = useCallback((line: LineState, candidates: string[] = []) => {
    const prev = ref.current;
    update({ ...prev, line, candidates, status: line.text === prev.line.text ? prev.status : statusOf(line.text, secretsShown) });
  }, [update, secretsShown]);

  const applyText = useCallback((text: string): boolean => {
    const status = statusOf(text, secretsShown);
    if (status.kind === 'invalid') {
      update({ ...ref.current, line: lineOf(text), status, candidates: [] });
      return false;
    }
    const applied = status.kind === 'empty' ? null : compileFilter(text, { secretsShown });
    history.add(text);
    update({ line: lineOf(text), status, appliedText: applied ? text : '', applied, candidates: [] });
    return true;
  }, [history, update, secretsShown]);

  const edit = useCallback<FilterControls['edit']>((input, key) => {
    const line = ref.current.line;
    if (key.upArrow) {
      const older = history.older(line.text);
      if (older !== undefined) setLine(lineOf(older));
      return true;
    }
    if (key.downArrow) {
      const newer = history.newer();
      if (newer !== undefined) setLine(lineOf(newer));
      return true;
    }
    if (key.tab) {
      const c = completeField(line.text, line.cursor, fields);
      setLine({ text: c.text, cursor: c.cursor }, c.candidates);
      return true;
    }
    const next = editLine(line, input, key);
    if (next === null) return false;
    history.reset();
    setLine(next);
    return true;
  }, [fields, history, setLine]);

  const apply = useCallback(() => applyText(ref.current.line.text), [applyText]);
  const revert = useCallback(() => {
    const text = ref.current.appliedText;
    history.reset();
    update({ ...ref.current, line: lineOf(text), status: statusOf(text, secretsShown), candidates: [] });
  }, [history, update]);

  return { state, current: () => ref.current, history: history.entries, edit, apply, applyExpression: applyText, revert };
}
