/**
 * Finds the one problem that explains the other failures of a check run, so the report leads
 * with it instead of listing four unrelated fixes: a model the endpoint does not serve (every
 * request fails with 404), no chat completions path, or a refused key.
 */
import type { CheckId, CheckResult, RootCause } from './types.ts';

/**
 * The root cause of these results, and the results with its consequences marked; the results
 * unchanged when no single cause explains them.
 *
 * @example
 * const { rootCause, results } = findRootCause(checks, 'fake-qa-modle');
 * if (rootCause) console.log(rootCause.message); // Model 'fake-qa-modle' not found; …
 */
export function findRootCause(
  results: CheckResult[],
  model: string,
): { rootCause?: RootCause; results: CheckResult[] } {
  const cause = modelNotServed(results, model) ?? pathNotFound(results) ?? keyRefused(results);
  if (!cause) return { results };
  const consequences = results
    .filter((result) => result.id !== cause.check && result.status !== 'pass')
    .map((result) => result.id);
  return {
    rootCause: { ...cause, consequences },
    results: results.map((result) =>
      consequences.includes(result.id) ? { ...result, consequenceOf: cause.check } : result,
    ),
  };
}

type Cause = Omit<RootCause, 'consequences'>;

/** The minimal request failed and `GET /models` does not list the model. */
function modelNotServed(results: CheckResult[], model: string): Cause | undefined {
  const models = find(results, 'models');
  const structure = find(results, 'structure');
  if (!models?.servedModels || models.status === 'pass' || structure?.status !== 'fail') return undefined;
  const served = models.servedModels;
  const suggestion = closest(model, served);
  const listed = served.length
    ? served.slice(0, 8).join(', ') + (served.length > 8 ? ', …' : '')
    : 'no model';
  return {
    check: 'models',
    message:
      `Model '${model}' not found; this endpoint serves: ${listed}` +
      (suggestion ? `; did you mean '${suggestion}'?` : '.'),
    fix: suggestion
      ? `Use the model ${suggestion} (REQASE_MODEL=${suggestion}).`
      : `Give a model the endpoint lists at GET /models (REQASE_MODEL)${served[0] ? `, e.g. ${served[0]}` : ''}.`,
    remedies: [
      {
        kind: 'set-setting',
        setting: 'model',
        ...((suggestion ?? served[0]) ? { example: suggestion ?? served[0] } : {}),
      },
    ],
  };
}

function pathNotFound(results: CheckResult[]): Cause | undefined {
  const path = find(results, 'path');
  if (path?.status !== 'fail') return undefined;
  return {
    check: 'path',
    message: `Wrong path: ${path.message}`,
    fix: path.fix ?? 'Give the base URL that comes before /chat/completions, usually ending in /v1.',
    ...(path.remedies ? { remedies: path.remedies } : {}),
  };
}

function keyRefused(results: CheckResult[]): Cause | undefined {
  const auth = find(results, 'auth');
  if (auth?.status !== 'fail') return undefined;
  return {
    check: 'auth',
    message: auth.message,
    fix: auth.fix ?? 'Check the API key (REQASE_API_KEY).',
    remedies: auth.remedies ?? [{ kind: 'set-setting', setting: 'apiKey' }],
  };
}

function find(results: CheckResult[], id: CheckId): CheckResult | undefined {
  return results.find((result) => result.id === id);
}

/** The served name nearest to a misspelt one (edit distance at most a third of its length). */
export function closest(wanted: string, candidates: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 3)) ? best.name : undefined;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
