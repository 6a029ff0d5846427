/** One server-sent event as a test reads it: `id` and `event` when sent, `data` with its lines joined. */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/** The frames of a whole SSE text, comments (`: keep-alive`) left out. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const frame: SseFrame = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') frame.id = value;
        if (field === 'event') frame.event = value;
        if (field === 'data') frame.data += value;
      }
      return frame;
    });
}
