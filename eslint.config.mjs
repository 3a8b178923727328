import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A root import of a provider package loads every resource class (~3 s and ~500 MB per process).
const providerRootImport = {
  paths: [
    { name: '@cdktf/provider-aws', message: 'Import the resource by deep path: @cdktf/provider-aws/lib/<resource>.' },
    {
      name: '@cdktf/provider-random',
      message: 'Import the resource by deep path: @cdktf/provider-random/lib/<resource>.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'packages/cli/bundle/**',
      '**/node_modules/**',
      '**/cdktf.out/**',
      '**/.terraform/**',
      '**/*.d.ts',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', providerRootImport],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
);
