/** Names derived from the project folder: the Python package and the distribution name. */
import { ToolError } from '../core/errors.js';

/** Package names that would shadow a dependency or confuse pytest. */
const TAKEN = new Set([
  'numpy',
  'pandas',
  'sklearn',
  'torch',
  'yaml',
  'joblib',
  'scipy',
  'mlflow',
  'pytest',
  'test',
  'tests',
  'src',
  'data',
  'config',
  'datasets',
  'model',
  'models',
  'train',
  'metrics',
]);

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

export function checkProjectName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new ToolError('invalid_input', `"${name}" is not a usable project name`, {
      hint: 'Use letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. churn-model',
    });
  }
}

export function packageName(project: string): string {
  let name = project
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (!name) name = 'project';
  if (/^\d/.test(name)) name = `p_${name}`;
  if (TAKEN.has(name) || KEYWORDS.has(name)) name = `${name}_project`;
  return name;
}

export function distributionName(project: string): string {
  return (
    project
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'project'
  );
}
