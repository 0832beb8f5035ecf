import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { JobBusMessage } from './job-event-bus.ts';
import { createProcessJobBus, relayJobBus, type IpcChannel } from './process-job-bus.ts';

/** Two ends of an IPC channel in one process: what one end sends, the other receives. */
function channelPair(): [IpcChannel & EventEmitter, IpcChannel & EventEmitter] {
  const left = new EventEmitter() as IpcChannel & EventEmitter;
  const right = new EventEmitter() as IpcChannel & EventEmitter;
  left.send = (message) => queueMicrotask(() => right.emit('message', structuredClone(message)));
  right.send = (message) => queueMicrotask(() => left.emit('message', structuredClone(message)));
  return [left, right];
}

const cancel: JobBusMessage = { kind: 'cancel', jobId: 'job-1', reason: 'cancelled by user' };
const event: JobBusMessage = {
  kind: 'event',
  jobId: 'job-1',
  event: {
    kind: 'task-fail',
    jobId: 'job-1',
    taskId: 'task-1',
    storyId: 'story-1',
    attempt: 1,
    error: 'quota',
  },
};

describe('process job bus', () => {
  it('passes a message from one server process to every other one, never back to its sender', async () => {
    // Three server processes, each with its channel to the primary, which relays.
    const ends = [channelPair(), channelPair(), channelPair()];
    const primarySides = ends.map(([primarySide]) => primarySide);
    for (const side of primarySides) relayJobBus(side, () => primarySides);
    const buses = ends.map(([, processSide]) => createProcessJobBus(processSide));
    const received = buses.map(() => [] as JobBusMessage[]);
    buses.forEach((bus, index) => bus.subscribe((message) => received[index]!.push(message)));

    await buses[0]!.publish(event);
    await buses[2]!.publish(cancel);
    await new Promise((resolve) => setImmediate(resolve));

    expect(received).toEqual([[cancel], [event, cancel], [event]]);
  });

  it('ignores other messages on the channel, and stops delivering once closed', async () => {
    const [primarySide, processSide] = channelPair();
    const bus = createProcessJobBus(processSide);
    const received: JobBusMessage[] = [];
    bus.subscribe((message) => received.push(message));
    primarySide.send!({ reqaseServeListening: 'http://127.0.0.1:4173' });
    primarySide.send!({ reqaseJobBus: cancel });
    await new Promise((resolve) => setImmediate(resolve));
    await bus.close();
    primarySide.send!({ reqaseJobBus: cancel });
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([cancel]);
    expect(processSide.listenerCount('message')).toBe(0);
  });

  it('needs an IPC channel, and says so', () => {
    expect(() => createProcessJobBus({ on: () => undefined, off: () => undefined })).toThrow(
      'This process has no IPC channel: a process job bus needs one (node:cluster).',
    );
  });

  it('crosses a real process boundary: a child relays what it receives back over its own channel', async () => {
    // The child echoes every message (Node's IPC, structured clone); the relay in this process
    // passes the bus message of one end on to the child, and the child's answer reaches the bus.
    const child = spawn(
      process.execPath,
      ['-e', "process.on('message', (message) => process.send(message))"],
      {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    try {
      const [primarySide, processSide] = channelPair();
      relayJobBus(primarySide, () => [primarySide, child]);
      const echoed = new Promise<unknown>((resolve) => child.once('message', resolve));
      await createProcessJobBus(processSide).publish(event);
      expect(await echoed).toEqual({ reqaseJobBus: event });
    } finally {
      child.kill();
    }
  });
});
