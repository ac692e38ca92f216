import { Mark, Text, type TextProps } from '@mantine/core';
import type { Snippet } from '../../api/search';

/** A snippet as text with its matches marked: React renders every part as text, never as HTML. */
export function Highlighted({ snippet, ...props }: { snippet: Snippet } & TextProps) {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const h of snippet.highlights) {
    if (h.start < at || h.end > snippet.text.length) continue;
    if (h.start > at) parts.push({ text: snippet.text.slice(at, h.start), mark: false });
    parts.push({ text: snippet.text.slice(h.start, h.end), mark: true });
    at = h.end;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), mark: false });
  return (
    <Text {...props}>
      {parts.map((p, i) => (p.mark ? <Mark key={i}>{p.text}</Mark> : <span key={i}>{p.text}</span>))}
    </Text>
  );
}
