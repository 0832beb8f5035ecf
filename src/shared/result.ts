/**
 * Expected failures are values, not exceptions (zod's `safeParse`, kysely's migrator result).
 *
 * @example
 * const result = parseSomething(text);
 * if (!result.ok) return console.error(result.error.message);
 * use(result.value);
 */
export type Result<Value, Failure = Error> = { ok: true; value: Value } | { ok: false; error: Failure };

export function ok<Value>(value: Value): { ok: true; value: Value } {
  return { ok: true, value };
}

export function err<Failure>(error: Failure): { ok: false; error: Failure } {
  return { ok: false, error };
}
