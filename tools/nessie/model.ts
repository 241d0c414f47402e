/**
 * Nessie's REST v2 shapes (as the server sends them) and the schemas our tools share: reference
 * names and hashes validated as Nessie validates them, content keys in Nessie's canonical string
 * form, and the reduction of a content object to the few fields a person reads.
 */
import { z } from 'zod';

/**
 * Validation.REF_NAME_REGEX of Nessie's model (less the '-' alias: our tools name refs explicitly),
 * rewritten without its lookahead so JSON-schema consumers of every flavour accept the pattern.
 */
const REF_NAME = /^[A-Za-z](?:(?:\.?[A-Za-z0-9_/-])*\.?[A-Za-z0-9_-])?$/;
const HASH = /^[0-9a-fA-F]{8,64}$/;

export const RefName = z
  .string()
  .regex(
    REF_NAME,
    'a Nessie reference name starts with a letter, then letters, digits or ./_-, not ending in . or /, no ".."',
  );
export const Hash = z.string().regex(HASH, 'a commit hash is 8-64 hex digits (Nessie needs the full 64)');
export const RefType = z.enum(['branch', 'tag']);

export const Paging = {
  page_token: z
    .string()
    .optional()
    .describe("Token from a previous call's next_page_token, to continue the listing"),
};
export const More = {
  more: z.boolean().describe('True when there is more than was returned'),
  next_page_token: z.string().optional().describe('Pass as page_token to get the next page'),
};

export const RefOut = z.object({
  name: z.string().describe('Reference name'),
  type: RefType.describe('branch or tag'),
  hash: z.string().describe('Commit hash the reference points at'),
});
export type RefOut = z.infer<typeof RefOut>;

export interface ApiReference {
  type: 'BRANCH' | 'TAG' | 'DETACHED';
  name?: string;
  hash?: string | null;
}
export interface ApiKey {
  elements: string[];
}
/** Content as Nessie sends it; snapshot ids arrive as strings (see parseJson in client.ts). */
export interface ApiContent {
  type: string;
  id?: string;
  [field: string]: unknown;
}
export interface ApiConflict {
  conflictType?: string;
  key?: ApiKey;
  message?: string;
}
export interface ApiMergeResponse {
  wasApplied?: boolean;
  wasSuccessful?: boolean;
  resultantTargetHash?: string | null;
  commonAncestor?: string | null;
  targetBranch?: string;
  effectiveTargetHash?: string;
  details?: Array<{ key: ApiKey; mergeBehavior?: string; conflict?: ApiConflict | null }>;
}

export function toRefOut(ref: ApiReference): RefOut {
  return { name: ref.name ?? '', type: ref.type === 'TAG' ? 'tag' : 'branch', hash: ref.hash ?? '' };
}

/** `branch \`x\`` or `tag \`x\``, for messages. */
export function describeRef(ref: { type: string; name: string }): string {
  return `${ref.type.toLowerCase()} \`${ref.name}\``;
}

export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : '?';
}

// Content keys. Nessie's canonical string joins elements with '.'; when an element holds a '.', the
// string starts with '.' and escapes '.' as '*.' and '*' as '**' (NESSIE-SPEC-2-0.md, Util.java).

const ESCAPES: Record<string, string> = { '.': '.', '*': '*', '{': '/', '}': '\\', '[': '%' };

/** Canonical (or escaped) key string → elements. Throws on a malformed escape. */
export function parseKey(text: string): string[] {
  if (!text.startsWith('.')) return text.split('.').filter((element) => element.length > 0);
  const elements: string[] = [];
  let current = '';
  for (let i = 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '.') {
      elements.push(current);
      current = '';
    } else if (c === '*') {
      const escaped = ESCAPES[text.charAt(++i)];
      if (escaped === undefined) throw new Error(`bad escape at position ${i} of content key "${text}"`);
      current += escaped;
    } else current += c;
  }
  if (current) elements.push(current);
  return elements;
}

/** Elements → Nessie's canonical key string (what the tools show and accept). */
export function formatKey(key: ApiKey | string[]): string {
  const elements = Array.isArray(key) ? key : key.elements;
  if (!elements.some((e) => e.includes('.'))) return elements.join('.');
  return `.${elements.map((e) => e.replace(/\*/g, '**').replace(/\./g, '*.')).join('.')}`;
}

/** Elements → the escaped form Nessie (spec 2.2.0+) wants in URL paths and query parameters. */
export function keyToPathString(elements: string[]): string {
  if (!elements.some((e) => /[./\\%]/.test(e))) return elements.join('.');
  const escape = (e: string) =>
    e.replace(/\*/g, '**').replace(/\./g, '*.').replace(/\//g, '*{').replace(/\\/g, '*}').replace(/%/g, '*[');
  return `.${elements.map(escape).join('.')}`;
}

export const KeyInput = z
  .string()
  .min(1)
  .refine((text) => {
    try {
      return parseKey(text).length > 0;
    } catch {
      return false;
    }
  }, 'a content key is its elements joined by dots, e.g. "sales.orders"');

/** The fields of a content object worth showing, by content type. */
export const ContentSummary = z.object({
  type: z.string().describe('Content type: ICEBERG_TABLE, ICEBERG_VIEW, NAMESPACE, DELTA_LAKE_TABLE, UDF'),
  content_id: z.string().optional().describe('Nessie content id, stable across renames and branches'),
  metadata_location: z.string().optional().describe('Iceberg metadata JSON file of the table or view'),
  snapshot_id: z.string().optional().describe('Current Iceberg snapshot id (a string: it exceeds 2^53)'),
  schema_id: z.number().optional().describe('Current Iceberg schema id'),
  spec_id: z.number().optional().describe('Current Iceberg partition spec id'),
  sort_order_id: z.number().optional().describe('Current Iceberg sort order id'),
  version_id: z.string().optional().describe('Current Iceberg view version id'),
  properties: z.record(z.string(), z.string()).optional().describe('Namespace properties'),
});
export type ContentSummary = z.infer<typeof ContentSummary>;

export function summarizeContent(content: ApiContent): ContentSummary {
  const out: ContentSummary = { type: content.type };
  if (typeof content.id === 'string') out.content_id = content.id;
  if (typeof content.metadataLocation === 'string') out.metadata_location = content.metadataLocation;
  const idString = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const snapshot = idString(content.snapshotId);
  if (snapshot !== undefined) out.snapshot_id = snapshot;
  const version = idString(content.versionId);
  if (version !== undefined) out.version_id = version;
  if (typeof content.schemaId === 'number') out.schema_id = content.schemaId;
  if (typeof content.specId === 'number') out.spec_id = content.specId;
  if (typeof content.sortOrderId === 'number') out.sort_order_id = content.sortOrderId;
  if (content.properties && typeof content.properties === 'object') {
    const props = Object.entries(content.properties as Record<string, unknown>).map(([k, v]) => [
      k,
      String(v),
    ]);
    if (props.length > 0) out.properties = Object.fromEntries(props) as Record<string, string>;
  }
  return out;
}

/** One line about a content object: `ICEBERG_TABLE snapshot 42 (s3://…/metadata.json)`. */
export function contentLine(content: ContentSummary): string {
  const parts = [content.type];
  if (content.snapshot_id !== undefined) parts.push(`snapshot ${content.snapshot_id}`);
  if (content.version_id !== undefined) parts.push(`version ${content.version_id}`);
  if (content.metadata_location) parts.push(`(${content.metadata_location})`);
  return parts.join(' ');
}
