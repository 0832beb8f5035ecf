/** Reasoning kept apart from the answer: `<think>` blocks in the content, or a reasoning field. */

/**
 * Separates `<think>…</think>` reasoning from the answer. Also handles an unclosed `<think>`
 * (the answer was cut while reasoning) and a closing tag without an opening one (chat templates
 * that put `<think>` into the prompt).
 */
export function splitThinking(content: string): { text: string; reasoning: string | undefined } {
  const reasoningParts: string[] = [];
  let text = content.replace(/<think>([\s\S]*?)<\/think>/g, (_match, inner: string) => {
    reasoningParts.push(inner.trim());
    return '';
  });
  const unclosed = text.indexOf('<think>');
  if (unclosed >= 0) {
    reasoningParts.push(text.slice(unclosed + '<think>'.length).trim());
    text = text.slice(0, unclosed);
  }
  const orphanClose = text.indexOf('</think>');
  if (orphanClose >= 0) {
    reasoningParts.unshift(text.slice(0, orphanClose).trim());
    text = text.slice(orphanClose + '</think>'.length);
  }
  if (reasoningParts.length === 0) return { text: content, reasoning: undefined };
  return { text: text.trim(), reasoning: reasoningParts.filter(Boolean).join('\n\n') };
}

/** The reasoning a server sent in its own field (`reasoning_content` or `reasoning`), if any. */
export function reasoningField(
  message: Record<string, unknown>,
): { field: string; text: string } | undefined {
  for (const field of ['reasoning_content', 'reasoning']) {
    const value = message[field];
    if (typeof value === 'string' && value.trim() !== '') return { field, text: value.trim() };
  }
  return undefined;
}
