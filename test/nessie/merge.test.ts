import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputText } from '../../tools/core/invoke.js';
import { nessieCreateReference } from '../../tools/nessie/create-reference.js';
import { nessieDiff } from '../../tools/nessie/diff-references.js';
import { nessieGetContent } from '../../tools/nessie/get-content.js';
import { nessieListEntries } from '../../tools/nessie/list-entries.js';
import { nessieMerge } from '../../tools/nessie/merge-branch.js';
import { call, callError, nessieWorld, NessieRaw, unique, type NessieWorld } from './fixtures.js';

type Merge = {
  status: string;
  from: { name: string; hash: string };
  into: { name: string; hash: string };
  result_hash?: string;
  changes: string[];
  conflicts: Array<{ key: string; type: string; message?: string }>;
};
type Content = { key: string; ref: string; hash: string; content: Record<string, unknown> };

let world: NessieWorld;
let raw: NessieRaw;

beforeAll(async () => {
  world = await nessieWorld();
  raw = new NessieRaw(world.url);
}, 300_000);
afterAll(() => world?.cleanup());

describe('a change on a branch, reviewed and merged into main', () => {
  const ns = unique();
  const branch = `${ns}/work`;
  const table = `${ns}.sales`;
  const location = `s3://warehouse/${ns}/sales/metadata/00001.metadata.json`;

  it('creates the branch from main and commits a table on it', async () => {
    const { ctx } = await world.context();
    const out = await call<{ created: { hash: string } }>(nessieCreateReference, { name: branch }, ctx);
    expect(await raw.head(branch)).toBe(out.created.hash);
    expect(await raw.reachable('main', out.created.hash)).toBe(true);
    await raw.commit(branch, { [ns]: 'namespace' });
    await raw.commit(branch, { [table]: location });
    expect(await raw.content('main', table)).toBeUndefined();
  });

  it('shows the table in the diff against main, the entries and the content', async () => {
    const { ctx } = await world.context();
    type Diff = {
      to: { name: string; hash: string };
      changes: Array<{ key: string; change: string; after?: Record<string, unknown> }>;
    };
    const diff = await call<Diff>(nessieDiff, { to: branch }, ctx);
    expect(diff.to).toEqual({ name: branch, hash: await raw.head(branch) });
    const byKey = new Map(diff.changes.map((c) => [c.key, c]));
    expect(byKey.get(table)).toMatchObject({
      change: 'added',
      after: { type: 'ICEBERG_TABLE', metadata_location: location },
    });
    expect(byKey.get(ns)).toMatchObject({ change: 'added', after: { type: 'NAMESPACE' } });
    expect(outputText(nessieDiff, diff)).toContain(`added ${table}: ICEBERG_TABLE snapshot`);

    const entries = await call<{ entries: Array<{ key: string; type: string }> }>(
      nessieListEntries,
      { ref: branch, prefix: ns, content_type: 'ICEBERG_TABLE' },
      ctx,
    );
    expect(entries.entries).toEqual([{ key: table, type: 'ICEBERG_TABLE' }]);

    const content = await call<Content>(nessieGetContent, { key: table, ref: branch }, ctx);
    expect(content.content).toMatchObject({
      type: 'ICEBERG_TABLE',
      metadata_location: location,
      schema_id: 0,
    });
    expect(content.content.snapshot_id).toMatch(/^\d+$/);
    expect(content.hash).toBe(await raw.head(branch));
  });

  it('previews the merge without changing main', async () => {
    const { ctx, asked } = await world.context(false);
    const preview = await call<Merge>(nessieMerge, { from: branch, dry_run: true }, ctx);
    expect(asked).toHaveLength(0);
    expect(preview.status).toBe('would_merge');
    expect(preview.changes).toEqual(expect.arrayContaining([ns, table]));
    expect(await raw.reachable('main', preview.into.hash)).toBe(true);
    expect(await raw.content('main', table)).toBeUndefined();
  });

  it('asks before merging; declined, main is unchanged', async () => {
    const { ctx, asked } = await world.context(false);
    const error = await callError(nessieMerge, { from: branch }, ctx);
    expect(error.code).toBe('refused');
    expect(asked[0]?.summary).toMatch(
      new RegExp(`^Merge \`${branch}\` \\(2 change\\(s\\): .*${table}.*\\) into \`main\` at [0-9a-f]{12}$`),
    );
    expect(await raw.content('main', table)).toBeUndefined();
  });

  it('merges when approved: main has the table', async () => {
    const { ctx } = await world.context(true);
    const out = await call<Merge>(nessieMerge, { from: branch, message: `merge ${branch}` }, ctx);
    expect(out.status).toBe('merged');
    expect(out.changes).toEqual(expect.arrayContaining([table]));
    expect(await raw.reachable('main', out.result_hash ?? '')).toBe(true);
    expect(await raw.content(`main@${out.result_hash}`, table)).toMatchObject({ metadataLocation: location });
    expect(await raw.content('main', table)).toMatchObject({ metadataLocation: location });
    const onMain = await call<Content>(nessieGetContent, { key: table }, ctx);
    expect(onMain).toMatchObject({ ref: 'main', content: { metadata_location: location } });

    const again = await call<Merge>(nessieMerge, { from: branch, dry_run: true }, ctx);
    expect(again.status).toBe('nothing_to_merge');
  });

  it('reports a conflicting merge with its keys, and merges nothing', async () => {
    const { ctx, asked } = await world.context(true);
    const [a, b] = [`${ns}/a`, `${ns}/b`];
    await raw.createBranch(a);
    await raw.createBranch(b);
    await raw.commit(a, { [table]: `${location}.a` });
    await raw.commit(b, { [table]: `${location}.b` });
    expect((await call<Merge>(nessieMerge, { from: a }, ctx)).status).toBe('merged');

    const preview = await call<Merge>(nessieMerge, { from: b, dry_run: true }, ctx);
    expect(preview.status).toBe('conflict');
    const out = await call<Merge>(nessieMerge, { from: b }, ctx);
    expect(asked.at(-1)?.summary).toContain(`it conflicts on ${table}, so nothing will be merged`);
    expect(out.status).toBe('conflict');
    expect(out.conflicts).toEqual([expect.objectContaining({ key: table, type: 'VALUE_DIFFERS' })]);
    expect(out.result_hash).toBeUndefined();
    const text = outputText(nessieMerge, out);
    expect(text).toContain('was not merged (nothing changed)');
    expect(text).toContain(`${table}: VALUE_DIFFERS`);
    expect(await raw.content('main', table)).toMatchObject({ metadataLocation: `${location}.a` });
  });
});

describe('merging into a branch with no commits (as main is on a fresh Nessie)', () => {
  it('fast-forwards it to the source, pinned at its empty head', async () => {
    const ns = unique();
    const { body: config } = await raw.call<{ noAncestorHash: string }>('GET', 'config');
    const empty = `${ns}-empty`;
    // A branch at the "no ancestor" hash, where a new in-memory Nessie's main starts.
    const created = await raw.call('POST', `trees?name=${empty}&type=BRANCH`, {
      type: 'BRANCH',
      name: 'main',
      hash: config.noAncestorHash,
    });
    expect(created.status).toBe(200);
    const work = `${ns}-work`;
    await raw.createBranch(work, empty);
    await raw.commit(work, { [ns]: 'namespace' });
    const head = await raw.commit(work, { [`${ns}.t`]: 's3://w/t.json' });

    const { ctx, asked } = await world.context(true);
    const preview = await call<Merge>(nessieMerge, { from: work, into: empty, dry_run: true }, ctx);
    expect(preview).toMatchObject({ status: 'would_merge', changes: [ns, `${ns}.t`] });
    expect(await raw.head(empty)).toBe(config.noAncestorHash);

    const out = await call<Merge & { fast_forward?: boolean }>(nessieMerge, { from: work, into: empty }, ctx);
    expect(asked[0]?.summary).toContain(`Merge \`${work}\` (2 change(s): ${ns}, ${ns}.t) into \`${empty}\``);
    expect(out).toMatchObject({ status: 'merged', fast_forward: true, result_hash: head });
    expect(await raw.head(empty)).toBe(head);
    expect(await raw.content(empty, `${ns}.t`)).toMatchObject({ metadataLocation: 's3://w/t.json' });
    expect(outputText(nessieMerge, out)).toContain('fast-forward');
  });
});

describe('content details', () => {
  it('keeps a 63-bit Iceberg snapshot id exact', async () => {
    const ns = unique();
    const branch = `${ns}-snap`;
    await raw.createBranch(branch);
    await raw.commit(branch, { [ns]: 'namespace' });
    const head = await raw.head(branch);
    const body = `{"commitMeta":{"message":"big id"},"operations":[{"type":"PUT","key":{"elements":["${ns}","t"]},"content":{"type":"ICEBERG_TABLE","metadataLocation":"s3://w/t.json","snapshotId":3051729675574597004,"schemaId":1,"specId":0,"sortOrderId":0}}]}`;
    expect((await raw.call('POST', `trees/${branch}@${head}/history/commit`, body)).status).toBe(200);
    const { ctx } = await world.context();
    const out = await call<Content>(nessieGetContent, { key: `${ns}.t`, ref: branch }, ctx);
    expect(out.content.snapshot_id).toBe('3051729675574597004');
  });

  it('says which key is missing, and where to look', async () => {
    const { ctx } = await world.context();
    const error = await callError(nessieGetContent, { key: `${unique()}.nope` }, ctx);
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/key '.*\.nope'/);
    expect(error.hint).toContain('nessie_list_entries');
  });
});
