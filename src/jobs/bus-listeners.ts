/** What both job buses do with a message of another process (no dependency, so the CLI can load it). */
import type { JobBusListener, JobBusMessage } from './job-event-bus.ts';

/** Gives a message of another process to every listener; a failing one (a closed event stream) does not stop the others. */
export function deliver(listeners: Iterable<JobBusListener>, message: JobBusMessage): void {
  for (const listener of listeners) {
    try {
      listener(message);
    } catch {
      // ignored, see above
    }
  }
}
