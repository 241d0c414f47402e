/**
 * `.dvc` pointer files: read from the workspace or from any git revision, and the place of an
 * object in the DVC cache (DVC 3 layout: `<cache>/files/md5/ab/cdef…`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface DvcOut {
  /** Path of the data, relative to the repository root (posix separators). */
  path: string;
  md5: string;
  /** Bytes (for a directory: of all its files). */
  size?: number;
  /** Files in a directory out. */
  nfiles?: number;
}

export interface DvcFile {
  outs: DvcOut[];
  meta?: unknown;
}

/** Parses a .dvc file's text; `dvcPath` (repository-relative) anchors the outs' relative paths. */
export async function parseDvcFile(text: string, dvcPath: string): Promise<DvcFile> {
  const { parse } = await import('yaml');
  const doc = (parse(text) ?? {}) as { outs?: Array<Record<string, unknown>>; meta?: unknown };
  const base = posix.dirname(dvcPath.split('\\').join('/'));
  const outs = (doc.outs ?? []).flatMap((out): DvcOut[] => {
    if (typeof out.path !== 'string' || typeof out.md5 !== 'string') return [];
    return [
      {
        path: posix.normalize(posix.join(base, out.path)),
        md5: out.md5,
        ...(typeof out.size === 'number' ? { size: out.size } : {}),
        ...(typeof out.nfiles === 'number' ? { nfiles: out.nfiles } : {}),
      },
    ];
  });
  return { outs, ...(doc.meta !== undefined ? { meta: doc.meta } : {}) };
}

export async function readDvcFile(absolutePath: string, repoRelative: string): Promise<DvcFile> {
  return parseDvcFile(readFileSync(absolutePath, 'utf8'), repoRelative);
}

/** Sets `meta.datastack` in a .dvc file, keeping the rest of it (DVC ignores `meta`, and keeps it on re-add). */
export async function writeDatastackMeta(absolutePath: string, meta: Record<string, unknown>): Promise<void> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(readFileSync(absolutePath, 'utf8'));
  doc.setIn(['meta', 'datastack'], meta);
  writeFileSync(absolutePath, doc.toString());
}

/** Where the object with this md5 lives in the cache (`abc….dir` for a directory listing). */
export function cachePath(cacheDir: string, md5: string): string {
  return join(cacheDir, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

/** The .dvc file DVC writes for a data path (`data/x.csv` → `data/x.csv.dvc`). */
export function dvcFileFor(dataPath: string): string {
  return `${dataPath.replace(/[\\/]+$/, '')}.dvc`;
}
