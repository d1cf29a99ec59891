/**
 * The layer rules of `src/`, checked by dependency-cruiser and reported through ESLint, so that
 * `npm run lint` fails on a new import circle (type-only imports included) or an import against
 * the layer order: `store` → `woori` → `cache` → `graphql` → `server`, and `sandbox` apart (the
 * server may start it through `src/sandbox/index.ts`, and it imports nothing of the service).
 *
 * dependency-cruiser sees the whole import graph, which a rule of ESLint's, given one file at a
 * time, does not; its findings are computed once per lint run and each is reported on the import
 * it is about.
 */
import { cruise } from 'dependency-cruiser';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** dependency-cruiser's `forbidden` rules; `comment` is the message a finding is reported with. */
export const LAYER_RULES = [
  {
    name: 'no-import-circle',
    comment: 'Import circle (type-only imports count): break it by moving what both sides need to one place',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'store-is-the-bottom-layer',
    comment:
      'src/store imports nothing from the layers above it (woori, cache, graphql, server) nor from the sandbox',
    severity: 'error',
    from: { path: '^src/store/' },
    to: { path: '^src/(woori|cache|graphql|server|sandbox)/' },
  },
  {
    name: 'woori-is-below-cache',
    comment:
      'src/woori imports nothing from the layers above it (cache, graphql, server) nor from the sandbox',
    severity: 'error',
    from: { path: '^src/woori/' },
    to: { path: '^src/(cache|graphql|server|sandbox)/' },
  },
  {
    name: 'cache-is-below-graphql',
    comment: 'src/cache imports nothing from the layers above it (graphql, server) nor from the sandbox',
    severity: 'error',
    from: { path: '^src/cache/' },
    to: { path: '^src/(graphql|server|sandbox)/' },
  },
  {
    name: 'graphql-is-below-server',
    comment: 'src/graphql imports nothing from src/server (the layer above it) nor from the sandbox',
    severity: 'error',
    from: { path: '^src/graphql/' },
    to: { path: '^src/(server|sandbox)/' },
  },
  {
    name: 'sandbox-stands-apart',
    comment: 'src/sandbox imports nothing from the service (store, woori, cache, graphql, server)',
    severity: 'error',
    from: { path: '^src/sandbox/' },
    to: { path: '^src/(store|woori|cache|graphql|server)/' },
  },
  {
    name: 'sandbox-only-through-its-entry',
    comment: 'The service starts the sandbox through src/sandbox/index.ts only',
    severity: 'error',
    from: { path: '^src/server/' },
    to: { path: '^src/sandbox/', pathNot: '^src/sandbox/index\\.ts$' },
  },
];

/**
 * The findings of {@link LAYER_RULES} over `<baseDir>/src`, as `{ from, to, message }` with paths
 * relative to `baseDir`.
 */
export async function findLayerViolations(baseDir) {
  // ESLint run from elsewhere (an editor opened on a subfolder) has no src/ to look at.
  if (!existsSync(join(baseDir, 'src'))) return [];
  const { output } = await cruise(['src'], {
    baseDir,
    validate: true,
    ruleSet: { forbidden: LAYER_RULES },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  });
  const comments = new Map(LAYER_RULES.map((rule) => [rule.name, rule.comment]));
  return output.summary.violations.map((violation) => {
    const circle = violation.cycle?.map((step) => (typeof step === 'string' ? step : step.name));
    const path = circle ? ` (${[violation.from, ...circle].join(' → ')})` : '';
    return {
      from: violation.from,
      to: violation.to,
      message: `${comments.get(violation.rule.name) ?? violation.rule.name}${path}.`,
    };
  });
}

/** An ESLint plugin whose rule `imports` reports `violations` on the imports they are about. */
export function layersPlugin(violations, baseDir) {
  const byFile = new Map();
  for (const violation of violations) {
    byFile.set(violation.from, [...(byFile.get(violation.from) ?? []), violation]);
  }
  return {
    rules: {
      imports: {
        meta: {
          type: 'problem',
          docs: { description: 'Import circles and imports against the layer order of src/' },
          schema: [],
        },
        create(context) {
          const file = relative(baseDir, context.filename).split(sep).join('/');
          const found = byFile.get(file);
          if (!found) return {};
          const sources = [];
          const remember = (node) => {
            if (node.source && typeof node.source.value === 'string') sources.push(node);
          };
          return {
            ImportDeclaration: remember,
            ExportNamedDeclaration: remember,
            ExportAllDeclaration: remember,
            'Program:exit'(program) {
              for (const violation of found) {
                const node = sources.find(
                  (n) => resolvesTo(context.filename, n.source.value, baseDir) === violation.to,
                );
                context.report({ node: node ?? program, message: violation.message });
              }
            },
          };
        },
      },
    },
  };
}

/** The file a relative specifier names, relative to `baseDir`, as dependency-cruiser writes it. */
function resolvesTo(fromFile, specifier, baseDir) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.d.ts`, `${base}/index.ts`]) {
    if (candidate !== base || /\.[cm]?[jt]s$/.test(base)) {
      if (existsSync(candidate)) return relative(baseDir, candidate).split(sep).join('/');
    }
  }
  return null;
}
