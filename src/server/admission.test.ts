import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { readAdmission } from './admission.ts';
import type { ServerEnv } from './context.ts';
import type { HttpError } from './errors.ts';

/** A route per name that starts, tells the test, and answers when the test opens its gate. */
function gatedApp(options: Parameters<typeof readAdmission>[0]) {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const startWaiters = new Map<string, () => void>();
  const app = new Hono<ServerEnv>();
  app.use('/api/*', readAdmission(options));
  app.onError((error, c) =>
    c.json({ code: (error as HttpError).code }, ((error as HttpError).status ?? 500) as 503),
  );
  app.on(['GET', 'POST'], '/api/:name', async (c) => {
    const name = c.req.param('name');
    started.push(name);
    startWaiters.get(name)?.();
    if (name !== 'health') await new Promise<void>((resolve) => gates.set(name, resolve));
    return c.text(name);
  });
  return {
    started,
    request: (name: string, method = 'GET') => app.request(`/api/${name}`, { method }),
    hasStarted: (name: string) =>
      started.includes(name)
        ? Promise.resolve()
        : new Promise<void>((resolve) => startWaiters.set(name, resolve)),
    open: (name: string) => gates.get(name)!(),
  };
}

describe('readAdmission', () => {
  it('runs at most `concurrency` reads, the others in arrival order', async () => {
    const app = gatedApp({ concurrency: 1 });
    const first = app.request('first');
    await app.hasStarted('first');
    const second = app.request('second');
    const third = app.request('third');
    expect(app.started).toEqual(['first']);

    app.open('first');
    expect(await (await first).text()).toBe('first');
    await app.hasStarted('second');
    expect(app.started).toEqual(['first', 'second']);

    app.open('second');
    await app.hasStarted('third');
    app.open('third');
    expect(await Promise.all([second, third].map(async (answer) => (await answer).text()))).toEqual([
      'second',
      'third',
    ]);
  });

  it('answers 503 with Retry-After to a read that waited too long, and lets writes and health through', async () => {
    const app = gatedApp({ concurrency: 1, maxWaitMilliseconds: 1 });
    const first = app.request('first');
    await app.hasStarted('first');

    const refused = await app.request('second');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ code: 'overloaded' });
    expect(app.started).toEqual(['first']);

    expect(await (await app.request('health')).text()).toBe('health');
    const write = app.request('write', 'POST');
    await app.hasStarted('write');
    app.open('write');
    expect((await write).status).toBe(200);

    app.open('first');
    expect((await first).status).toBe(200);
    // The slot is free again.
    const later = app.request('later');
    await app.hasStarted('later');
    app.open('later');
    expect((await later).status).toBe(200);
  });

  it('gives reads of synchronous work a share of each turn of the event loop, in arrival order', async () => {
    // Each read holds the thread for at least 3 ms, as a read of SQLite does; with 5 ms a turn,
    // at most two start before something else (here a callback queued before them) gets its turn.
    const events: string[] = [];
    const app = new Hono<ServerEnv>();
    app.use('/api/*', readAdmission({ concurrency: 8, turnMilliseconds: 5 }));
    app.get('/api/:name', (c) => {
      const holdUntil = performance.now() + 3;
      while (performance.now() < holdUntil) {
        // synchronous work
      }
      events.push(c.req.param('name'));
      return c.text(c.req.param('name'));
    });
    setImmediate(() => events.push('next turn'));
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const answers = await Promise.all(names.map((name) => app.request(`/api/${name}`)));

    expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual(names);
    const readsFirst = events.indexOf('next turn');
    expect(readsFirst).toBeGreaterThanOrEqual(1);
    expect(readsFirst).toBeLessThanOrEqual(2);
    expect(events.filter((event) => event !== 'next turn')).toEqual(names);
  });

  it('does not spin the event loop while every slot is held by a read that waits on I/O', async () => {
    const app = gatedApp({ concurrency: 1 });
    const first = app.request('first');
    await app.hasStarted('first');
    const second = app.request('second');
    const spy = vi.spyOn(globalThis, 'setImmediate');
    try {
      // Fifty turns of the event loop while the first read holds the only slot.
      for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
      expect(spy.mock.calls.length).toBeLessThan(5);
    } finally {
      spy.mockRestore();
    }
    expect(app.started).toEqual(['first']);
    app.open('first');
    await app.hasStarted('second');
    app.open('second');
    expect((await Promise.all([first, second])).map((answer) => answer.status)).toEqual([200, 200]);
  });
});
