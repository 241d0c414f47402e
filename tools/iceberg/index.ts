import type { AnyTool } from '../core/types.js';
import { icebergCreateNamespace } from './create-namespace.js';
import { icebergCreateTable } from './create-table.js';
import { icebergDescribeTable } from './describe-table.js';
import { icebergDropNamespace } from './drop-namespace.js';
import { icebergDropTable } from './drop-table.js';
import { icebergListNamespaces } from './list-namespaces.js';
import { icebergListSnapshots } from './list-snapshots.js';
import { icebergListTables } from './list-tables.js';
import { icebergLoadTable } from './load-table.js';
import { icebergQueryTable } from './query-table.js';

export const icebergTools: readonly AnyTool[] = [
  icebergListNamespaces,
  icebergCreateNamespace,
  icebergDropNamespace,
  icebergListTables,
  icebergDescribeTable,
  icebergListSnapshots,
  icebergCreateTable,
  icebergLoadTable,
  icebergQueryTable,
  icebergDropTable,
];
