/** The text of a request body, for matching scenario patterns. */
export function promptOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('contents' in body) || !Array.isArray(body.contents))
    return undefined;
  const texts = body.contents.flatMap((content: unknown) =>
    typeof content === 'object' && content !== null && 'parts' in content && Array.isArray(content.parts)
      ? content.parts.flatMap((part: unknown) =>
          typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
            ? [part.text]
            : [],
        )
      : [],
  );
  return texts.length > 0 ? texts.join('\n') : undefined;
}
