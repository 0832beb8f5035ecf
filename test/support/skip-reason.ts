/**
 * How a suite or test that cannot run here says why: the reason goes into its title, and the
 * skipped reporter (skipped-reporter.ts) lists exactly the skipped suites and tests that carry
 * one. Tests left out by `-t`, `.only` or a file filter carry none and are not listed as missing.
 */

/** `title (SKIPPED: reason)`, e.g. for `describe.skipIf(!hasChromium)(skippedTitle(…), …)`. */
export function skippedTitle(title: string, reason: string): string {
  return `${title} (SKIPPED: ${reason})`;
}

/** The reason in a title made by `skippedTitle`, or undefined. */
export function skipReasonOf(title: string): string | undefined {
  return /\(SKIPPED: (.+)\)$/.exec(title)?.[1];
}
