/**
 * The Nessie tests run against the real Nessie server that `datastack stack up` starts (through
 * ensureServices). The server is shared by test files and runs, so every test names its branches
 * and keys with a fresh random prefix, and asserts on what it made. Content is committed with
 * Nessie's own commit API (the Iceberg tools commit through /iceberg), as Iceberg table entries.
 */
import { randomBytes } from 'node:crypto';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { ensureServices } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

export interface NessieWorld {
  /** The v2 API root, e.g. http://127.0.0.1:19130/api/v2. */
  url: string;
  ws: TempWorkspace;
  /** Contexts whose confirmation gate answers `answer` and records each question. */
  context(answer?: boolean): Promise<{ ctx: ToolContext; asked: ConfirmRequest[] }>;
  cleanup(): void;
}

export async function nessieWorld(): Promise<NessieWorld> {
  const services = await ensureServices(['nessie']);
  const ws = makeWorkspace({ 'datastack.yaml': services.datastackYaml });
  return {
    url: services.nessie.url,
    ws,
    async context(answer = false) {
      const asked: ConfirmRequest[] = [];
      const ctx = await contextFor(ws.root, {
        confirm: (request) => {
          asked.push(request);
          return Promise.resolve(answer);
        },
      });
      return { ctx, asked };
    },
    cleanup: () => ws.cleanup(),
  };
}

/** A name no other test or run uses: `t<hex>` (a valid Nessie name and Iceberg identifier). */
export function unique(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Nessie's REST API, used directly by tests to set things up and to look at the world. */
export class NessieRaw {
  constructor(readonly url: string) {}

  /** A request; a string body is sent as it is (JSON text with numbers JavaScript cannot hold). */
  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The head hash of a reference, or undefined when it does not exist. */
  async head(name: string): Promise<string | undefined> {
    const res = await this.call<{ reference?: { hash: string } }>(
      'GET',
      `trees/${name.includes('/') ? `${name}@` : name}`,
    );
    return res.status === 200 ? res.body.reference?.hash : undefined;
  }

  async createBranch(name: string, from = 'main'): Promise<string> {
    const hash = await this.head(from);
    const res = await this.call<{ reference: { hash: string } }>(
      'POST',
      `trees?name=${encodeURIComponent(name)}&type=BRANCH`,
      {
        type: 'BRANCH',
        name: from,
        hash,
      },
    );
    if (res.status !== 200) throw new Error(`create ${name}: ${JSON.stringify(res.body)}`);
    return res.body.reference.hash;
  }

  /** Commits PUT operations on `branch` at its head; each value is a metadata location or 'namespace'. */
  async commit(branch: string, puts: Record<string, string>, message = 'test commit'): Promise<string> {
    const head = await this.head(branch);
    const operations = await Promise.all(
      Object.entries(puts).map(async ([key, value]) => {
        const elements = key.split('.');
        if (value === 'namespace')
          return { type: 'PUT', key: { elements }, content: { type: 'NAMESPACE', elements } };
        // Changing an existing table needs its content id.
        const existing = await this.content(branch, key);
        const id = (existing as { id?: string } | undefined)?.id;
        const snapshotId = Number.parseInt(randomBytes(3).toString('hex'), 16);
        const content = {
          type: 'ICEBERG_TABLE',
          ...(id ? { id } : {}),
          metadataLocation: value,
          snapshotId,
          schemaId: 0,
          specId: 0,
          sortOrderId: 0,
        };
        return { type: 'PUT', key: { elements }, content };
      }),
    );
    const res = await this.call<{ targetBranch: { hash: string } }>(
      'POST',
      `trees/${branch}@${head}/history/commit`,
      {
        commitMeta: { message },
        operations,
      },
    );
    if (res.status !== 200) throw new Error(`commit on ${branch}: ${JSON.stringify(res.body)}`);
    return res.body.targetBranch.hash;
  }

  /**
   * Whether `hash` is a commit of `ref` (its head or an ancestor). Other test files merge into
   * the shared main at any time, so tests check main's history rather than its head.
   */
  async reachable(ref: string, hash: string): Promise<boolean> {
    const res = await this.call('GET', `trees/${ref}@${hash}/history?max-records=1`);
    return res.status === 200;
  }

  async content(ref: string, key: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.call<{ content: Record<string, unknown> }>(
      'GET',
      `trees/${ref.includes('/') ? `${ref}@` : ref}/contents/${key}`,
    );
    return res.status === 200 ? res.body.content : undefined;
  }
}

/** Runs a tool through invokeTool (validation, confirmation) and returns its output, or throws its error. */

/** Runs a tool and returns the ToolError it failed with (fails the test when it succeeds). */
