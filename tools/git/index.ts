import type { AnyTool } from '../core/types.js';
import { gitBranches } from './list-branches.js';
import { gitCommit } from './commit-changes.js';
import { gitDiffSummary } from './diff-summary.js';
import { gitListTags } from './list-tags.js';
import { gitStatus } from './show-status.js';
import { gitSwitchBranch } from './switch-branch.js';
import { gitTag } from './create-tag.js';

export const gitTools: readonly AnyTool[] = [
  gitStatus,
  gitBranches,
  gitSwitchBranch,
  gitCommit,
  gitTag,
  gitListTags,
  gitDiffSummary,
];
