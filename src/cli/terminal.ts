/**
 * Small terminal helpers shared by the commands: colour only on a TTY without NO_COLOR, and a
 * progress indicator written to stderr so stdout stays clean for `--json` and pipes.
 */

export interface Terminal {
  color: boolean;
  interactive: boolean;
}

export function detectTerminal(stream: NodeJS.WriteStream = process.stdout, env = process.env): Terminal {
  const interactive = Boolean(stream.isTTY);
  return { interactive, color: interactive && !env.NO_COLOR && env.TERM !== 'dumb' };
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof codes;

export function paint(terminal: Pick<Terminal, 'color'>, style: Style, text: string): string {
  if (!terminal.color) return text;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/**
 * A spinner on stderr while waiting for the model; silent when stderr is not a TTY.
 * Returns `stop()`, which clears the line.
 */
export function startProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(label: string): void; stop(): void } {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let current = label;
  const started = Date.now();
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\u001b[2K${frames[frame++ % frames.length]} ${current} (${seconds}s)`);
  };
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(next) {
      current = next;
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}
