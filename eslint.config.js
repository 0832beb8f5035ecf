import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ and what each may import (ARCHITECTURE.md, "Layers"): dependencies point
 * inward, cli/server -> app -> (llm, core, formats, storage, jobs, connectors) -> shared.
 * `allowed` lists the other src/ folders a layer may import; `entries` limits a folder to its
 * index.ts. Unit tests next to the code (`*.test.ts`) may cross layers to build their fixtures.
 */
const LAYERS = ['shared', 'core', 'llm', 'formats', 'storage', 'jobs', 'connectors', 'app', 'cli', 'server'];
const LAYER_RULES = {
  shared: { allowed: [] },
  core: { allowed: ['shared'] },
  llm: { allowed: ['shared'] },
  formats: { allowed: ['core', 'shared'] },
  storage: { allowed: ['core', 'shared'] },
  jobs: { allowed: ['core', 'shared'] },
  connectors: { allowed: ['core', 'shared'] },
  app: { allowed: ['shared', 'core', 'llm', 'formats', 'storage', 'jobs', 'connectors'] },
  // `reqase serve` starts the server: the one place cli/ reaches server/, through its index.ts.
  cli: { allowed: ['shared'], entries: ['app', 'server'] },
  server: { allowed: ['shared'], entries: ['app'] },
};

/** `../`, `../../`, …: an import leaving the importing file's layer folder for another one of src/. */
const up = String.raw`^(\.\./)+`;

function layerPatterns(layer) {
  const { allowed, entries = [] } = LAYER_RULES[layer];
  const forbidden = LAYERS.filter(
    (other) => other !== layer && !allowed.includes(other) && !entries.includes(other),
  );
  const patterns = [];
  if (forbidden.length > 0) {
    patterns.push({
      regex: `${up}(${forbidden.join('|')})(/|$)`,
      message:
        allowed.length + entries.length === 0
          ? `src/${layer}/ imports nothing else from src/ (see ARCHITECTURE.md, Layers).`
          : `src/${layer}/ may import only ${[...allowed, ...entries].map((name) => `${name}/`).join(', ')} (see ARCHITECTURE.md, Layers).`,
    });
  }
  for (const entry of entries) {
    patterns.push({
      regex: `${up}${entry}/(?!index\\.ts$)`,
      message: `src/${layer}/ enters src/${entry}/ through src/${entry}/index.ts only: export what you need there.`,
    });
  }
  return patterns;
}

/** `import()` is not seen by no-restricted-imports: the same patterns as a syntax rule. */
function dynamicImportRules(patterns) {
  return patterns.map(({ regex, message }) => ({
    selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\/')}/]`,
    message,
  }));
}

const layering = LAYERS.map((layer) => {
  const patterns = layerPatterns(layer);
  return {
    files: [`src/${layer}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': ['error', ...dynamicImportRules(patterns)],
    },
  };
});

/** The web app talks to the server over HTTP: from src/ it may take types of server/ and nothing else. */
const webLayering = {
  files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `${up}src/(?!server/)`,
            message:
              'web/src/ imports only web/src/ (and types from src/server/): it talks to the API over HTTP.',
          },
          {
            regex: `${up}src/server/`,
            allowTypeImports: true,
            message:
              'web/src/ may import only types from src/server/ (`import type`): the server never runs in the browser.',
          },
        ],
      },
    ],
  },
};

/**
 * Sizes a newcomer can hold in their head (ARCHITECTURE.md, "Size exceptions"): a file over 400
 * lines or a function over 80 is a sign to split by responsibility. An exception carries an
 * `eslint-disable` with its reason and a line in ARCHITECTURE.md.
 */
const sizes = {
  files: ['src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx'],
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'web/dist/**',
      'coverage/**',
      '.data/**',
      '.test-build/**',
      '.build-cache/**',
      // Files with deliberate faults (layering violations and the like), linted by their tests.
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layering,
  webLayering,
  sizes,
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', '.ci/**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' },
    },
  },
);
