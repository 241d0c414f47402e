/**
 * The Iceberg tests run against the real services `datastack stack up` starts (ensureServices):
 * moto as S3, Nessie with its Iceberg REST catalog at /iceberg and the warehouse on moto, and
 * pyiceberg in the shared venv. Services are shared by test files and runs, so every test makes
 * its own namespaces and branches with random names. Nessie itself is driven through its REST
 * API v2 here, independently of the tools under test, to set up branches, merge and look.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfirmRequest, ToolContext } from '../../tools/core/types.js';
import { ensureServices, type ServiceEndpoints } from '../helpers/services.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
export { call, callError } from '../helpers/call.js';

export const VEGA_DATA = fileURLToPath(new URL('../../node_modules/vega-datasets/data', import.meta.url));
/** Rows of node_modules/vega-datasets/data/seattle-weather.csv (2012–2015, one per day). */
export const WEATHER_ROWS = 1461;
/** Rows of cars.json. */
export const CARS_ROWS = 406;

export interface Lake {
  services: ServiceEndpoints;
  ws: TempWorkspace;
  nessie: NessieRest;
  /** A context whose confirmation gate answers `answer` and records the questions. */
  context(answer?: boolean): Promise<{ ctx: ToolContext; asked: ConfirmRequest[] }>;
  cleanup(): void;
}

export async function openLake(): Promise<Lake> {
  const services = await ensureServices(['s3', 'nessie']);
  const ws = makeWorkspace({ 'datastack.yaml': services.datastackYaml });
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  for (const file of ['seattle-weather.csv', 'cars.json'])
    copyFileSync(join(VEGA_DATA, file), join(ws.root, 'data', file));
  const contexts: ToolContext[] = [];
  return {
    services,
    ws,
    nessie: new NessieRest(services.nessie.url),
    async context(answer = false) {
      const asked: ConfirmRequest[] = [];
      const ctx = await contextFor(ws.root, {
        confirm: (request) => {
          asked.push(request);
          return Promise.resolve(answer);
        },
      });
      contexts.push(ctx);
      return { ctx, asked };
    },
    cleanup() {
      for (const ctx of contexts) void ctx.clients.closeAll();
      ws.cleanup();
    },
  };
}

/** `t<hex>`: a valid Nessie name and Iceberg identifier no other test uses. */
export function unique(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Nessie REST API v2, straight. */
export class NessieRest {
  constructor(readonly url: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Path form of a reference: a name with `/` is followed by `@` (v2 API rule). */
  private ref(name: string, hash = ''): string {
    return `${name}${name.includes('/') || hash ? `@${hash}` : ''}`;
  }

  async head(name: string): Promise<string> {
    const res = await this.call<{ reference: { hash: string } }>('GET', `trees/${this.ref(name)}`);
    if (res.status !== 200) throw new Error(`no reference ${name}: ${res.status}`);
    return res.body.reference.hash;
  }

  async createBranch(name: string, from = 'main'): Promise<string> {
    const hash = await this.head(from);
    const res = await this.call<{ reference: { hash: string } }>(
      'POST',
      `trees?name=${encodeURIComponent(name)}&type=BRANCH`,
      { type: 'BRANCH', name: from, hash },
    );
    if (res.status !== 200)
      throw new Error(`create branch ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.reference.hash;
  }

  /** Merges `from` into `into` (pinned at its current head). */
  async merge(from: string, into = 'main'): Promise<void> {
    const intoHash = await this.head(into);
    const fromHash = await this.head(from);
    // A fresh Nessie's main has no commit, and Nessie cannot merge into that: fast-forward it.
    const { body: config } = await this.call<{ noAncestorHash?: string }>('GET', 'config');
    if (intoHash === config.noAncestorHash) {
      const res = await this.call('PUT', `trees/${into}@${intoHash}?type=BRANCH`, {
        type: 'BRANCH',
        name: from,
        hash: fromHash,
      });
      if (res.status !== 200)
        throw new Error(`fast-forward ${into} to ${from}: ${res.status} ${JSON.stringify(res.body)}`);
      return;
    }
    const res = await this.call('POST', `trees/${into}@${intoHash}/history/merge`, {
      fromRefName: from,
      fromHash,
    });
    if (res.status !== 200)
      throw new Error(`merge ${from} into ${into}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Keys of the entries on a reference, dotted. */
  async keys(ref: string): Promise<string[]> {
    const res = await this.call<{ entries: Array<{ name: { elements: string[] } }> }>(
      'GET',
      `trees/${this.ref(ref)}/entries`,
    );
    return res.body.entries.map((e) => e.name.elements.join('.'));
  }
}
