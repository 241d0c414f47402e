import type { AnyTool } from '../core/types.js';
import { nessieAssignReference } from './assign-reference.js';
import { nessieCreateReference } from './create-reference.js';
import { nessieDeleteReference } from './delete-reference.js';
import { nessieDiff } from './diff-references.js';
import { nessieGetContent } from './get-content.js';
import { nessieListEntries } from './list-entries.js';
import { nessieListReferences } from './list-references.js';
import { nessieMerge } from './merge-branch.js';
import { nessieLog } from './show-log.js';

export const nessieTools: readonly AnyTool[] = [
  nessieListReferences,
  nessieCreateReference,
  nessieLog,
  nessieDiff,
  nessieListEntries,
  nessieGetContent,
  nessieMerge,
  nessieAssignReference,
  nessieDeleteReference,
];
