/** Exit codes shared by every command. A module of its own, so `reqase --help` loads no more. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
