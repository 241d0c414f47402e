/**
 * The ObjectStore on the `local` profile: a workspace folder acts as the lake, each subfolder a
 * bucket, each file below it an object (`<lake.root>/<bucket>/<key>`). Writes go to a temporary
 * name and are renamed into place, so a failed upload leaves nothing half-written. Presigning and
 * versioning need a real S3 server and say so.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import { noSuchBucket, noSuchKey, type FaultPlace } from './errors.js';
import { byteCounter, PARTIAL_MARK, partialName } from './transfer.js';
import type { ListPage, ObjectInfo, ObjectStore, ObjectSummary } from './store.js';

export function createLocalStore(ctx: ToolContext): ObjectStore {
  const rootArg = ctx.config.lake.root;
  const root = ctx.workspace.resolve(rootArg);
  const location = `the lake folder ${ctx.workspace.display(root)}/`;
  const place = (bucket?: string, key?: string): FaultPlace => ({
    location,
    secrets: [],
    ...(bucket ? { bucket } : {}),
    ...(key ? { key } : {}),
  });

  /** The folder of an existing bucket. */
  async function bucketDir(bucket: string): Promise<string> {
    const dir = ctx.workspace.resolve(join(root, bucket));
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw noSuchBucket(place(bucket));
    return dir;
  }

  /** The file of `key` in `bucket`: keys are relative paths, so `..` or empty segments are refused. */
  async function objectPath(bucket: string, key: string): Promise<string> {
    const dir = await bucketDir(bucket);
    const parts = key.split('/');
    if (
      parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes(PARTIAL_MARK))
    ) {
      throw new ToolError('invalid_input', `Key "${key}" cannot be a file in the local lake`, {
        hint: "Local keys are relative paths: no empty, '.' or '..' segments and no backslashes",
      });
    }
    return ctx.workspace.resolve(join(dir, ...parts));
  }

  async function fileInfo(bucket: string, key: string): Promise<{ path: string; info: ObjectInfo }> {
    const path = await objectPath(bucket, key);
    const found = await stat(path).catch(() => undefined);
    if (!found?.isFile()) throw noSuchKey(place(bucket, key));
    return { path, info: { key, size: found.size, last_modified: found.mtime.toISOString() } };
  }

  /** Every object of a bucket, sorted by key as S3 sorts them. */
  async function allObjects(dir: string, prefix: string): Promise<ObjectSummary[]> {
    const found: ObjectSummary[] = [];
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(folder, entry.name);
        const key = relative(dir, path).split(sep).join('/');
        if (entry.isDirectory()) {
          if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix)) await walk(path);
        } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes(PARTIAL_MARK)) {
          const info = await stat(path);
          found.push({ key, size: info.size, last_modified: info.mtime.toISOString() });
        }
      }
    };
    await walk(dir);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Copies `from` to `to` through a temporary name; the target appears whole or not at all. */
  async function writeInto(to: string, write: (temp: string) => Promise<void>): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    const temp = partialName(to);
    try {
      await write(temp);
      await rename(temp, to);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  const needsS3 = (what: string) =>
    Promise.reject(
      new ToolError('config', `${what} needs an S3 server; this profile keeps objects in ${location}`, {
        hint: 'Start a local S3 server with `datastack stack up s3` and use the profile it writes (`--profile stack`)',
      }),
    );

  return {
    kind: 'local',
    location,

    async listBuckets() {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      const buckets = [];
      for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const info = await stat(join(root, entry.name));
        buckets.push({ name: entry.name, created: info.birthtime.toISOString() });
      }
      return buckets;
    },

    async createBucket(bucket) {
      const dir = ctx.workspace.resolve(join(root, bucket));
      const existed = await stat(dir).catch(() => undefined);
      if (existed?.isDirectory()) return { created: false };
      await mkdir(dir, { recursive: true });
      return { created: true };
    },

    async deleteBucket(bucket) {
      const dir = await bucketDir(bucket);
      const left = await allObjects(dir, '');
      if (left.length > 0) {
        throw new ToolError('conflict', `Bucket "${bucket}" is not empty (${left.length} objects)`, {
          hint: `Delete its objects first (\`datastack s3 delete-objects ${bucket} --prefix ""\`), or pass force`,
        });
      }
      await rm(dir, { recursive: true });
    },

    async list(bucket, options): Promise<ListPage> {
      const dir = await bucketDir(bucket);
      const prefix = options.prefix ?? '';
      const entries: Array<{ name: string; object?: ObjectSummary }> = [];
      const seen = new Set<string>();
      for (const object of await allObjects(dir, prefix)) {
        const cut = options.delimiter ? object.key.indexOf(options.delimiter, prefix.length) : -1;
        if (cut < 0) entries.push({ name: object.key, object });
        else {
          const common = object.key.slice(0, cut + (options.delimiter?.length ?? 0));
          if (!seen.has(common)) entries.push({ name: common });
          seen.add(common);
        }
      }
      const after = options.token ? Buffer.from(options.token, 'base64url').toString('utf8') : undefined;
      const rest = after === undefined ? entries : entries.filter((e) => e.name > after);
      const page = rest.slice(0, options.maxKeys);
      const last = page.at(-1);
      return {
        objects: page.flatMap((e) => (e.object ? [e.object] : [])),
        prefixes: page.filter((e) => !e.object).map((e) => e.name),
        ...(rest.length > page.length && last
          ? { next_token: Buffer.from(last.name, 'utf8').toString('base64url') }
          : {}),
      };
    },

    async head(ref) {
      if (ref.version_id) return needsS3('Reading object versions');
      return (await fileInfo(ref.bucket, ref.key)).info;
    },

    async putFile(bucket, key, file, options) {
      const target = await objectPath(bucket, key);
      await writeInto(target, (temp) =>
        pipeline(createReadStream(file), byteCounter(options.onBytes), createWriteStream(temp), {
          signal: options.signal,
        }),
      );
      return { parts: 1 };
    },

    async getFile(ref, file, options) {
      if (ref.version_id) return needsS3('Reading object versions');
      const { path, info } = await fileInfo(ref.bucket, ref.key);
      options.onSize?.(info.size);
      await pipeline(createReadStream(path), byteCounter(options.onBytes), createWriteStream(file), {
        signal: options.signal,
      });
      return info;
    },

    async copy(from, to) {
      if (from.version_id) return needsS3('Reading object versions');
      const { path } = await fileInfo(from.bucket, from.key);
      const target = await objectPath(to.bucket, to.key);
      await writeInto(target, (temp) => copyFile(path, temp));
      return {};
    },

    async deleteObjects(bucket, refs) {
      const dir = await bucketDir(bucket);
      const deleted: string[] = [];
      const failed: Array<{ key: string; message: string }> = [];
      for (const ref of refs) {
        try {
          const path = await objectPath(bucket, ref.key);
          await unlink(path);
          deleted.push(ref.key);
          await pruneEmptyFolders(dirname(path), dir);
        } catch (error) {
          const code = (error as { code?: string }).code;
          // S3 reports deleting a missing key as deleted: do the same.
          if (code === 'ENOENT') deleted.push(ref.key);
          else failed.push({ key: ref.key, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return { deleted, failed };
    },

    presign: () => needsS3('Presigning URLs'),
    getVersioning: () => Promise.resolve('off' as const),
    setVersioning: () => needsS3('Versioning'),
    listVersions: () => needsS3('Reading object versions'),
  };
}

/** Removes now-empty folders from `from` up to, not including, `stop`. */
async function pruneEmptyFolders(from: string, stop: string): Promise<void> {
  let dir = from;
  while (dir !== stop && dir.startsWith(stop + sep)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
