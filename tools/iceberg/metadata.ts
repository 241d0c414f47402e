/** The parts of the Iceberg REST catalog's JSON (LoadTableResult, TableMetadata) the tools read. */

export type Props = Record<string, string>;

export interface TableIdentifierJson {
  namespace: string[];
  name: string;
}

/** LoadTableResult: the parts we read. */
export interface LoadTableResult {
  'metadata-location'?: string;
  metadata: TableMetadata;
  config?: Props;
}

export interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: unknown;
  doc?: string;
}

/** Ids are 64-bit: strings when too big for a JS number (see json.ts). */
export type Id = number | string;

export interface Snapshot {
  'snapshot-id': Id;
  'parent-snapshot-id'?: Id;
  'timestamp-ms': number;
  'sequence-number'?: number;
  summary?: Props & { operation?: string };
  'manifest-list'?: string;
}

export interface TableMetadata {
  'format-version': number;
  'table-uuid': string;
  location: string;
  'current-schema-id'?: number;
  schemas?: Array<{ 'schema-id': number; fields: IcebergField[] }>;
  'default-spec-id'?: number;
  'partition-specs'?: Array<{
    'spec-id': number;
    fields: Array<{ 'source-id': number; 'field-id'?: number; name: string; transform: string }>;
  }>;
  'default-sort-order-id'?: number;
  'sort-orders'?: Array<{
    'order-id': number;
    fields: Array<{ 'source-id': number; transform: string; direction: string; 'null-order': string }>;
  }>;
  properties?: Props;
  'current-snapshot-id'?: Id | null;
  snapshots?: Snapshot[];
  'snapshot-log'?: Array<{ 'snapshot-id': Id; 'timestamp-ms': number }>;
  refs?: Record<string, { 'snapshot-id': Id; type: string }>;
  'last-updated-ms'?: number;
}
