/**
 * Preloaded into the benchmarked server (`node --import ./bench/support/server-diagnostics.mjs
 * bin/reqase.js serve …`), never part of the product. Measures, inside the server process, where
 * a slow request's time goes:
 * - the event-loop delay (`monitorEventLoopDelay`, 1 ms resolution);
 * - the time the thread spent in synchronous writes to standard error (the request log), and how
 *   often such a write found the pipe full (EAGAIN: pino's sonic-boom then sleeps and retries);
 * - the time the thread spent inside better-sqlite3 statements (synchronous SQLite work);
 * - the process's CPU time against the wall time (saturated, or starved by other processes),
 *   and the time in garbage collection.
 * On SIGUSR2 it prints one JSON line `{ "diagnostics": { … } }` on standard output and starts
 * over, so a benchmark can read the figures of the span it measured.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

let cpuSince = process.cpuUsage();
let wallSince = performance.now();
let garbageCollectionMilliseconds = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) garbageCollectionMilliseconds += entry.duration;
}).observe({ entryTypes: ['gc'] });

const counters = {
  stderrWrites: 0,
  stderrWriteMilliseconds: 0,
  stderrWriteMaxMilliseconds: 0,
  stderrFull: 0,
  statements: 0,
  statementMilliseconds: 0,
  statementMaxMilliseconds: 0,
};

// Request-log writes: pino.destination(2) writes with fs.writeSync on a pipe.
const writeSync = fs.writeSync;
fs.writeSync = function timedWriteSync(fd, ...rest) {
  if (fd !== 2) return writeSync.call(fs, fd, ...rest);
  const started = performance.now();
  try {
    return writeSync.call(fs, fd, ...rest);
  } catch (error) {
    if (error?.code === 'EAGAIN') counters.stderrFull += 1;
    throw error;
  } finally {
    const ms = performance.now() - started;
    counters.stderrWrites += 1;
    counters.stderrWriteMilliseconds += ms;
    counters.stderrWriteMaxMilliseconds = Math.max(counters.stderrWriteMaxMilliseconds, ms);
  }
};

const statementTimes = new Map();
// SQLite statements: the same better-sqlite3 the server loads (an external of the CLI bundle).
try {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  for (const name of ['all', 'get', 'run', 'iterate']) {
    const original = statementPrototype[name];
    statementPrototype[name] = function timedStatement(...parameters) {
      const started = performance.now();
      try {
        return original.apply(this, parameters);
      } finally {
        const ms = performance.now() - started;
        counters.statements += 1;
        counters.statementMilliseconds += ms;
        counters.statementMaxMilliseconds = Math.max(counters.statementMaxMilliseconds, ms);
        const entry = statementTimes.get(this.source) ?? { count: 0, milliseconds: 0 };
        entry.count += 1;
        entry.milliseconds += ms;
        statementTimes.set(this.source, entry);
      }
    };
  }
} catch {
  // Without better-sqlite3 the statement figures stay zero.
}

process.on('SIGUSR2', () => {
  const milliseconds = (nanoseconds) => nanoseconds / 1e6;
  const line = JSON.stringify({
    diagnostics: {
      eventLoopDelayP50Milliseconds: milliseconds(delay.percentile(50)),
      eventLoopDelayP99Milliseconds: milliseconds(delay.percentile(99)),
      eventLoopDelayMaxMilliseconds: milliseconds(delay.max),
      ...counters,
      cpuMilliseconds: (process.cpuUsage(cpuSince).user + process.cpuUsage(cpuSince).system) / 1000,
      wallMilliseconds: performance.now() - wallSince,
      garbageCollectionMilliseconds,
      slowestStatements: [...statementTimes]
        .sort((a, b) => b[1].milliseconds - a[1].milliseconds)
        .slice(0, 8)
        .map(([sql, entry]) => ({ sql: sql.slice(0, 300), ...entry })),
    },
  });
  delay.reset();
  cpuSince = process.cpuUsage();
  wallSince = performance.now();
  garbageCollectionMilliseconds = 0;
  statementTimes.clear();
  for (const key of Object.keys(counters)) counters[key] = 0;
  process.stdout.write(`${line}\n`);
});
