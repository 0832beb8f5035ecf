import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package root: the nearest folder above `start` with a package.json. Found by walking up
 * rather than by a fixed relative path, because the same code runs from src/, from dist/ and from
 * the bundle that bin/reqase.js caches under node_modules/.cache/reqase.
 */
export function findPackageRoot(start: string): string {
  let directory = start;
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return start;
}

/** The version in the package root's package.json. */
export function readPackageVersion(start: string): string {
  const packageJson = JSON.parse(readFileSync(join(findPackageRoot(start), 'package.json'), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}
