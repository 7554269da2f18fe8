/**
 * The explanation language a person most likely reads: the first of
 * LC_ALL, LC_MESSAGES and LANG that is set (the POSIX order), when it names
 * a language we have ("zh_CN.UTF-8" -> zh); English otherwise. --lang wins.
 */
import { LANGS, type Lang } from './types.js';

export function localeLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const code = locale.toLowerCase().split(/[_.@-]/)[0] ?? '';
  return (LANGS as readonly string[]).includes(code) ? (code as Lang) : 'en';
}

/** The next language, for the UI's L key. */
export function nextLang(lang: Lang): Lang {
  return LANGS[(LANGS.indexOf(lang) + 1) % LANGS.length]!;
}
