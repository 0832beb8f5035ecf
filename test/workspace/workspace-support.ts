import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../storage/storage-setup.ts';

export const FIXED_NOW = new Date('2026-11-25T10:00:00.000Z');

export interface TestWorkspace {
  workspace: Workspace;
  database: TestDatabase;
  directory: string;
  dispose(): Promise<void>;
}

/** A workspace over a private test database (SQLite file or PostgreSQL schema), clock fixed. */
export async function createTestWorkspace(
  dialect: TestDialect,
  env: Record<string, string | undefined> = {},
): Promise<TestWorkspace> {
  const database = await createTestDatabase(dialect);
  const directory = await mkdtemp(join(tmpdir(), 'reqase-workspace-'));
  const { storage } = await database.open({ clock: () => FIXED_NOW });
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory, ...env }, directory), {
    storage,
    clock: () => FIXED_NOW,
  });
  return {
    workspace,
    database,
    directory,
    async dispose() {
      await workspace.close();
      await database.dispose();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export const CHECKOUT_STORIES = `# SHOP-1: Pay by card

As a shopper I want to pay by card so that I get my order.

## Acceptance Criteria

- Card payments with Visa and Mastercard are accepted and the order is confirmed.
- A declined card shows the message "Payment declined" and the cart is kept.
- A receipt is e-mailed to the shopper after payment.

# SHOP-2: Apply a discount code

As a shopper I want to apply a discount code so that I pay less.

## Acceptance Criteria

- A valid code reduces the total by its percentage.
- An expired code is rejected with the message "Code expired".
`;

/** SHOP-1 with AC-2 reworded and a new fourth criterion. */
export const CHECKOUT_STORIES_CHANGED = CHECKOUT_STORIES.replace(
  'A declined card shows the message "Payment declined" and the cart is kept.',
  'A declined card shows the message "Payment declined, try another card" and the cart is kept for 30 minutes.',
).replace(
  '- A receipt is e-mailed to the shopper after payment.',
  '- A receipt is e-mailed to the shopper after payment.\n- Saved cards can be reused without typing the number again.',
);
