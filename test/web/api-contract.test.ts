/**
 * The API contract holds at compile time: the web app's types come from the server's `AppType`,
 * and a client generated from the OpenAPI document (openapi-typescript) agrees with the web app's
 * use. One `tsc` run over small fixtures: the matching use must compile, and a deliberately
 * mismatched field (`titel`) must fail, named in the error, on both paths.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../scripts/openapi-document.ts';
import { startChild } from '../support/child-processes.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtureDirectory = join(root, '.test-build', `api-contract-${randomBytes(4).toString('hex')}`);
/** From the fixture directory (`.test-build/<name>/`) to the web app's client. */
const webApi = '../../web/src/api.ts';

/** The web app's own reads and writes, typed by AppType (through web/src/api.ts) and by the document. */
const matchingUse = `
import type { paths } from './openapi.ts';
import type { Project, StoredTestCase, TestCasePatch } from '${webApi}';

type DocumentTestCase = paths['/api/test-cases/{id}']['get']['responses'][200]['content']['application/json'];
type DocumentEdit = NonNullable<paths['/api/test-cases/{id}']['patch']['requestBody']>['content']['application/json'];
type DocumentProject = paths['/api/projects']['post']['responses'][201]['content']['application/json'];

export const readStored = (testCase: StoredTestCase) =>
  [testCase.title, testCase.status, testCase.version, testCase.steps.map((step) => step.action)] as const;
export const readDocumented = (testCase: DocumentTestCase) =>
  [testCase.title, testCase.status, testCase.version, testCase.steps.map((step) => step.action)] as const;
/** What the web app sends as an edit is what the document accepts. */
export const editAsDocumented = (patch: TestCasePatch): DocumentEdit => patch;
/** What the document promises for a project is what the web app reads. */
export const projectAsRead = (project: DocumentProject): Project => project;
`;

const mismatchAgainstAppType = `
import { api, type StoredTestCase } from '${webApi}';
export const readStored = (testCase: StoredTestCase) => testCase.titel;
export const edit = () => api.editTestCase('id', { titel: 'New title' });
`;

const mismatchAgainstDocument = `
import type { paths } from './openapi.ts';
type DocumentTestCase = paths['/api/test-cases/{id}']['get']['responses'][200]['content']['application/json'];
export const readDocumented = (testCase: DocumentTestCase) => testCase.titel;
`;

let output = '';
let exitCode: number | string | undefined;

beforeAll(async () => {
  mkdirSync(fixtureDirectory, { recursive: true });
  const document = await openApiDocument();
  const generated = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  writeFileSync(join(fixtureDirectory, 'openapi.ts'), generated);
  writeFileSync(join(fixtureDirectory, 'matching-use.ts'), matchingUse);
  writeFileSync(join(fixtureDirectory, 'mismatch-app-type.ts'), mismatchAgainstAppType);
  writeFileSync(join(fixtureDirectory, 'mismatch-document.ts'), mismatchAgainstDocument);
  writeFileSync(
    join(fixtureDirectory, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '../..' },
      include: ['*.ts'],
    }),
  );
  // Ended with the test by the child registry, also on failure or timeout.
  const compiler = startChild(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(fixtureDirectory, 'tsconfig.json'),
      '--pretty',
      'false',
    ],
    { endWith: 'file' },
  );
  exitCode = await compiler.exited;
  output = compiler.stdout() + compiler.stderr();
});

afterAll(() => rmSync(fixtureDirectory, { recursive: true, force: true }));

/** The compiler's error lines about one fixture file. */
function errorsIn(fileName: string): string[] {
  return output.split('\n').filter((line) => line.includes(fileName) && line.includes('error TS'));
}

describe('the API contract at compile time', () => {
  it('compiles the web app’s use against both AppType and the generated document types', () => {
    expect(errorsIn('matching-use.ts')).toEqual([]);
    expect(exitCode).not.toBe(0); // the mismatch fixtures below must fail the run
  });

  it('fails typecheck when the web app reads or sends a field the server does not have (AppType)', () => {
    const errors = errorsIn('mismatch-app-type.ts');
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toContain("'titel'");
  });

  it('fails typecheck when a client generated from the OpenAPI document reads a missing field', () => {
    const errors = errorsIn('mismatch-document.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'titel'");
  });

  it('reports nothing else', () => {
    const unexpected = output
      .split('\n')
      .filter((line) => line.includes('error TS') && !line.includes('mismatch-'));
    expect(unexpected).toEqual([]);
  });
});
