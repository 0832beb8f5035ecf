/**
 * Where the test run keeps what it builds once (git-ignored `.test-build/`): no imports beyond
 * node:path, so a test file can name these paths without loading a bundler.
 */
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const testBuildDirectory = join(root, '.test-build');

/** The job tests' worker process (test/jobs/support/worker-process.ts) bundled by the global setup. */
export const WORKER_BUNDLE = join(testBuildDirectory, 'worker', 'worker-process.js');
/** The built web app (web-build.ts); `index.html` in it means the build is whole. */
export const WEB_BUILD_DIRECTORY = join(testBuildDirectory, 'web');
/** Held (as a directory: its creation is atomic) by the one worker building the web app. */
export const WEB_BUILD_LOCK = join(testBuildDirectory, 'web.lock');
