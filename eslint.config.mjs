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
    // The demo dashboard's script runs in the browser, as it is (src/server/demo.ts serves it).
    files: ['src/server/demo-page/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', fetch: 'readonly' } },
  },
  {
    files: ['eslint/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
