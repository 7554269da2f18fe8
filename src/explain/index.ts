/** What explains failing replies: the catalog, the matcher, the typed-line reader and the formatters. */
export { explainReply, explainText, matchPattern, needsExplanation, type ExplainOptions } from './explain.js';
export { formatExplanation, formatExplanationLines, EXPLAIN_MARK } from './format.js';
export { parseReplyLine, type ParsedReply } from './parse-line.js';
export { localeLang, nextLang } from './locale.js';
export { LANGS, type Explanation, type ExplanationPart, type Lang } from './types.js';
