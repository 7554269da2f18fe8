/**
 * The filter engine as the UI uses it. Everything filter-related in src/tui/
 * comes through here, so the UI depends on the engine's public API only
 * (src/filter/index.ts) and on nothing else of it.
 */
export { FilterError, checkFilter, compileFilter, listFields } from '../filter/index.js';
export type { CompiledFilter, FieldInfo } from '../filter/index.js';
