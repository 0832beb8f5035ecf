import type { Command } from 'commander';
import { resolveSettings, loadWorkspace, workspaceTokens } from '../app/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import { runCommand } from './run-command.ts';

/** `reqase token create|list|revoke`: API tokens for `reqase serve` beyond loopback. */
export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens for the HTTP API and the web login');

  token
    .command('create')
    .description('Create a token; it is shown once, only its hash is stored')
    .argument('<name>', 'who or what the token is for, e.g. "ci" or "maria"')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }) => {
      await withTokens(async (tokens) => {
        const created = await tokens.create(name);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ token: created.token, ...created.record }, null, 2)}\n`);
        } else {
          process.stdout.write(`${created.token}\n`);
          process.stderr.write(
            `Token "${name}" created (id ${created.record.id}). Copy it now: it is not shown again.\n`,
          );
        }
      });
    });

  token
    .command('list')
    .description('List tokens (names and dates, never the tokens)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withTokens(async (tokens) => {
        const records = await tokens.list();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
          return;
        }
        if (records.length === 0) {
          process.stdout.write('No API tokens. Create one with `reqase token create NAME`.\n');
          return;
        }
        for (const record of records) {
          process.stdout.write(
            `${record.id}  ${record.name}  created ${record.createdAt}  last used ${record.lastUsedAt ?? 'never'}\n`,
          );
        }
      });
    });

  token
    .command('revoke')
    .description('Revoke a token by id or name')
    .argument('<token>', 'the token id or name (see `reqase token list`)')
    .action(async (reference: string) => {
      await withTokens(async (tokens) => {
        const records = await tokens.list();
        const matches = records.filter((record) => record.id === reference || record.name === reference);
        if (matches.length === 0) {
          throw new NotFoundError(`There is no API token "${reference}".`, {
            fix: 'List tokens with `reqase token list` and give an id or name from it.',
          });
        }
        for (const record of matches) await tokens.remove(record.id);
        process.stderr.write(
          `Revoked ${matches.length} token${matches.length === 1 ? '' : 's'} named "${matches[0]?.name}".\n`,
        );
      });
    });
}

async function withTokens(
  action: (tokens: ReturnType<typeof workspaceTokens>) => Promise<void>,
): Promise<void> {
  await runCommand(async () => {
    const workspace = await loadWorkspace(resolveSettings());
    try {
      await action(workspaceTokens(workspace));
    } finally {
      await workspace.close();
    }
  });
}
