// The toolbar's edits of the Markdown text: pure functions of the text and the selection.

export type Edit = { text: string; selectionStart: number; selectionEnd: number };

/** Wraps the selection (or a placeholder) in `before`/`after`, selecting the wrapped text. */
export function wrap(e: Edit, before: string, after: string, placeholder: string): Edit {
  const selected = e.text.slice(e.selectionStart, e.selectionEnd) || placeholder;
  const text = e.text.slice(0, e.selectionStart) + before + selected + after + e.text.slice(e.selectionEnd);
  const start = e.selectionStart + before.length;
  return { text, selectionStart: start, selectionEnd: start + selected.length };
}

/** Puts `prefix` (or a numbered prefix) in front of every line the selection touches. */
export function prefixLines(e: Edit, prefix: (index: number) => string): Edit {
  const lineStart = e.text.lastIndexOf('\n', e.selectionStart - 1) + 1;
  const nextBreak = e.text.indexOf('\n', e.selectionEnd);
  const lineEnd = nextBreak === -1 ? e.text.length : nextBreak;
  const lines = e.text.slice(lineStart, lineEnd).split('\n').map((line, i) => prefix(i) + line);
  const block = lines.join('\n');
  return { text: e.text.slice(0, lineStart) + block + e.text.slice(lineEnd), selectionStart: lineStart, selectionEnd: lineStart + block.length };
}

/** Inserts a block on lines of its own, with blank lines around it. */
export function insertBlock(e: Edit, block: string): Edit {
  const before = e.text.slice(0, e.selectionStart);
  const after = e.text.slice(e.selectionEnd);
  const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trail = after.startsWith('\n') ? '' : '\n\n';
  const text = before + lead + block + trail + after;
  const start = before.length + lead.length;
  return { text, selectionStart: start, selectionEnd: start + block.length };
}
