import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { findLayerViolations, layersPlugin } from './eslint/layers.mjs';

// The layer rules look at the whole import graph of src/, once per run (see eslint/layers.mjs).
const baseDir = process.cwd();
const layerViolations = await findLayerViolations(baseDir);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/generated/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/main.ts', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers: layersPlugin(layerViolations, baseDir) },
    rules: { 'layers/imports': 'error' },
  },
  {
    files: ['eslint/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
