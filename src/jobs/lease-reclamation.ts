import { hostname } from 'node:os';
import type { JobStorage } from './types.ts';

export interface LeaseReclamationOptions {
  /** The storage's clock: lease ends are compared with it. */
  now: () => Date;
  /** This machine's name, as worker ids start with it. Default: `os.hostname()`. */
  host?: string;
  /** Whether a process of this machine still exists. Default: `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
}

/**
 * Gives back the stories of a job still leased by a process of this machine that no longer exists
 * (a killed `generate`), now rather than when the lease ends. Worker ids are `host:pid:…`
 * (`defaultWorkerId`); a live or foreign holder keeps its lease, and an expired lease is
 * claimable anyway. Only meaningful where every worker shares this machine (SQLite).
 *
 * @example
 * const released = await releaseDeadLocalLeases(storage, jobId, { now: () => new Date() });
 */
export async function releaseDeadLocalLeases(
  storage: JobStorage,
  jobId: string,
  options: LeaseReclamationOptions,
): Promise<number> {
  const host = options.host ?? hostname();
  const isAlive = options.isAlive ?? processIsAlive;
  const now = options.now().getTime();
  let released = 0;
  for (const task of await storage.jobs.listTasks(jobId)) {
    if (task.status !== 'running' || !task.lockedBy || !task.lockedUntil) continue;
    if (new Date(task.lockedUntil).getTime() < now) continue; // expired: claimable anyway
    const [taskHost, pid] = task.lockedBy.split(':');
    if (taskHost !== host || !pid || !/^\d+$/.test(pid) || isAlive(Number(pid))) continue;
    await storage.jobs.failTask(task.id, 'Released: the process running it ended.', {
      retryable: true,
      maxAttempts: Number.MAX_SAFE_INTEGER,
      retryAt: options.now(),
    });
    released++;
  }
  return released;
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
