/**
 * The JSON Dremio's REST API v3 answers with, as far as DataStack reads it. Field names follow
 * Dremio's own classes (dremio-oss `dac/backend/.../api/JobStatus.java`, `CatalogItem.java`,
 * `Dataset.java`) and the documented examples at https://docs.dremio.com/current/reference/api/.
 */

/** COMPLETED, FAILED and CANCELED are final; every other state means the job is still going. */
export const FINAL_JOB_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

export interface ApiJobStatus {
  jobState: string;
  /** Rows the job returned; 0 until it is COMPLETED. */
  rowCount?: number;
  /** Dremio's failure text, for FAILED jobs ("" otherwise). */
  errorMessage?: string;
  cancellationReason?: string;
  queryType?: string;
  startedAt?: string;
  endedAt?: string;
}

/** A field type: `{name: 'DECIMAL', precision, scale}`; LIST and STRUCT carry a subSchema. */
export interface ApiFieldType {
  name: string;
  precision?: number;
  scale?: number;
  subSchema?: ApiField[];
}

export interface ApiField {
  name?: string;
  type: ApiFieldType;
}

/** One page of `GET /api/v3/job/{id}/results`: at most 500 rows. */
export interface ApiJobResults {
  rowCount: number;
  schema: ApiField[];
  rows: Array<Record<string, unknown>>;
}

/** An entry of the root catalog or of a container's `children`. */
export interface ApiCatalogItem {
  id: string;
  path: string[];
  tag?: string;
  type: 'CONTAINER' | 'DATASET' | 'FILE';
  containerType?: 'SPACE' | 'SOURCE' | 'FOLDER' | 'HOME';
  datasetType?: 'VIRTUAL' | 'PROMOTED' | 'DIRECT';
}

/** What `GET /api/v3/catalog/{id}` and `/catalog/by-path/…` return, told apart by entityType. */
export interface ApiCatalogEntity {
  entityType: 'space' | 'source' | 'folder' | 'home' | 'dataset' | 'file';
  id: string;
  /** Folders, datasets and files. */
  path?: string[];
  /** Spaces, sources and homes. */
  name?: string;
  children?: ApiCatalogItem[];
  /** Datasets: PHYSICAL_DATASET (a table or promoted file) or VIRTUAL_DATASET (a view). */
  type?: string;
  fields?: ApiField[];
  /** Views: their SQL and the context it runs in. */
  sql?: string;
  sqlContext?: string[];
}

/** Dremio's error body (GenericErrorMessage). */
export interface ApiError {
  errorMessage?: string;
  moreInfo?: string;
}

/** A type as one line: `DECIMAL(10,2)`, `LIST<BIGINT>`, `STRUCT<a VARCHAR, b DOUBLE>`. */
export function typeText(type: ApiFieldType): string {
  if (type.name === 'DECIMAL' && type.precision !== undefined) {
    return `DECIMAL(${type.precision},${type.scale ?? 0})`;
  }
  if (type.subSchema && type.subSchema.length > 0) {
    const inner = type.subSchema.map((f) => (f.name ? `${f.name} ${typeText(f.type)}` : typeText(f.type)));
    return `${type.name}<${inner.join(', ')}>`;
  }
  return type.name;
}
