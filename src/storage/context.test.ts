import { describe, expect, it } from 'vitest';
import { retryAbortedTransaction, TRANSACTION_RETRIES } from './context.ts';
import { ConflictError } from './errors.ts';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryAbortedTransaction', () => {
  it('runs a transaction PostgreSQL aborted (deadlock, serialisation failure) again', async () => {
    let attempts = 0;
    const value = await retryAbortedTransaction(async () => {
      attempts += 1;
      if (attempts === 1) throw deadlock;
      if (attempts === 2) throw Object.assign(new Error('could not serialize'), { code: '40001' });
      return 'saved';
    });
    expect(value).toBe('saved');
    expect(attempts).toBe(3);
  });

  it('gives up after a bounded number of attempts with a conflict saying to try again', async () => {
    let attempts = 0;
    const failing = retryAbortedTransaction(async () => {
      attempts += 1;
      throw deadlock;
    });
    await expect(failing).rejects.toBeInstanceOf(ConflictError);
    await expect(failing).rejects.toMatchObject({ fix: 'Try again.' });
    expect(attempts).toBe(TRANSACTION_RETRIES + 1);
  });

  it('leaves other errors alone', async () => {
    let attempts = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      retryAbortedTransaction(async () => {
        attempts += 1;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(attempts).toBe(1);
  });
});
