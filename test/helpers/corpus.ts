/** The real capture corpus: ours (captures/) and Zeek's (../shared/captures/zeek/). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CAPTURE_DIRS = ['captures', 'captures/variants', '../shared/captures/zeek'];

export function corpusFiles(dirs: string[] = CAPTURE_DIRS): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      if (statSync(path).isFile() && /\.(pcap|pcapng|gz)$/.test(name)) files.push(path);
    }
  }
  return files;
}
