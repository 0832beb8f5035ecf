#!/usr/bin/env node
// Entry point of the `reqase` command.
// In a checkout (src/ present and tsx installed) the TypeScript sources run directly, so the
// command is never stale; an installed package runs the compiled dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const compiled = join(root, 'dist', 'cli', 'main.js');

async function loadTsx() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return true;
  } catch {
    return false;
  }
}

if (existsSync(source) && (await loadTsx())) {
  await import(pathToFileURL(source).href);
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  console.error(
    'reqase: neither the sources with tsx nor a build (dist/) were found. Run `npm install` first.',
  );
  process.exit(1);
}
