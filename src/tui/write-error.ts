/**
 * File-system errors as the UI says them: "cannot write /x: permission
 * denied", never Node's "EACCES: permission denied, open '/x'". The user
 * typed a path and wants to know what is wrong with it, not the errno.
 */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many files are open',
  EBUSY: 'it is busy',
  EINVAL: 'the name is not valid here',
  /** Ours (export-sessions.ts): a folder was asked for ("x/") where a file is. */
  ENOTFOLDER: 'it is a file, not a folder',
};

/** `what` is the verb ("write", "create"); `path` is what the user asked for, used when the error names no path. */
export function describeWriteError(err: unknown, path: string, what = 'write'): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const reason = (e?.code && REASONS[e.code]) ?? lowerFirst(stripErrno(e?.message ?? String(err)));
  return `cannot ${what} ${e?.path ?? path}: ${reason}`;
}

/** "EACCES: permission denied, open '/x'" -> "permission denied" (for the codes not in the table). */
function stripErrno(message: string): string {
  return message.replace(/^[A-Z]+: /, '').replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
