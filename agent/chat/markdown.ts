/**
 * Streams the model's Markdown to the terminal. Text is held until a block is complete (a blank
 * line outside a code fence), then that block is rendered with marked-terminal and printed: the
 * answer appears paragraph by paragraph, and a half-received table or fence never renders broken.
 * Without a TTY the raw text streams through as it arrives.
 */
import type { MarkedExtension } from 'marked';

export interface MarkdownWriter {
  write(delta: string): void;
  /** Renders whatever is held back (end of a turn). */
  flush(): void;
}

interface Output {
  write(text: string): unknown;
}

export async function createMarkdownWriter(
  out: Output,
  options: { render: boolean; width?: number },
): Promise<MarkdownWriter> {
  if (!options.render) return rawWriter(out);
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const width = Math.max(40, Math.min(options.width ?? 100, 120));
  const marked = new Marked(
    markedTerminal({ reflowText: true, width, tab: 2 }) as unknown as MarkedExtension,
  );
  const render = (markdown: string): string => {
    try {
      return marked.parse(markdown, { async: false });
    } catch {
      return markdown;
    }
  };
  return blockWriter(out, render);
}

function rawWriter(out: Output): MarkdownWriter {
  let endsWithNewline = true;
  return {
    write(delta) {
      if (!delta) return;
      out.write(delta);
      endsWithNewline = delta.endsWith('\n');
    },
    flush() {
      if (!endsWithNewline) out.write('\n');
      endsWithNewline = true;
    },
  };
}

/** Holds text until complete blocks can be cut off its front; exported for tests. */
export function blockWriter(out: Output, render: (markdown: string) => string): MarkdownWriter {
  let buffer = '';
  const emit = (markdown: string) => {
    if (markdown.trim()) out.write(render(markdown));
  };
  return {
    write(delta) {
      buffer += delta;
      const cut = completeBlocksEnd(buffer);
      if (cut > 0) {
        emit(buffer.slice(0, cut));
        buffer = buffer.slice(cut);
      }
    },
    flush() {
      emit(buffer);
      buffer = '';
    },
  };
}

/** The index just past the last blank line that is outside a code fence, or 0. */
export function completeBlocksEnd(text: string): number {
  let inFence = false;
  let fence = '';
  let end = 0;
  let offset = 0;
  const lines = text.split('\n');
  // The last element has no newline after it yet: it is still arriving.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    const next = offset + line.length + 1;
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!inFence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      inFence = !inFence;
      fence = inFence ? marker : '';
      // A closed fence is a complete block by itself.
      if (!inFence) end = next;
    } else if (!inFence && line.trim() === '') end = next;
    offset = next;
  }
  return end;
}
