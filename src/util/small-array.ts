/**
 * Arrays that stay short, at their exact size. V8 gives an array room for 17
 * elements at its first push (about 150 bytes), which tens of thousands of
 * live sessions of one exchange each pay for nothing: these append by making
 * an array of the exact size while it is short, and push once it is not.
 * The caller keeps what comes back (it may be a new array).
 */

/** Length from which append pushes in place. */
const SHORT = 8;

export function append<T>(list: T[], item: T): T[] {
  if (list.length >= SHORT) {
    list.push(item);
    return list;
  }
  return list.length === 0 ? [item] : list.concat([item]);
}
