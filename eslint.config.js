import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.datastack/', 'bench/**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // The terminal faces own stdout; tests and benches may print too.
  { files: ['agent/**', 'test/**', 'evals/**', 'bench/**', 'scripts/**'], rules: { 'no-console': 'off' } },
  // Fakes and fixtures implement async interfaces with synchronous bodies.
  { files: ['test/**', 'evals/**'], rules: { '@typescript-eslint/require-await': 'off' } },
);
