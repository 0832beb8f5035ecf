/**
 * Setup file of every test file: no child process outlives its test (or its file), also when a
 * test fails or times out. Children are registered by `startChild` / `trackChild`
 * (test/support/child-processes.ts) and `runReqase` (test/support/reqase-process.ts).
 */
import { afterAll, afterEach } from 'vitest';
import { killAllChildren, killTestChildren } from './child-processes.ts';

afterEach(killTestChildren);
afterAll(killAllChildren);
