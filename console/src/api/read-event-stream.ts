import { authHeaders } from './api-client.js';

export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Follows a server-sent event stream with fetch (EventSource cannot send the Authorization header),
 * calling `onEvent` for each event until the stream ends or `signal` aborts. Resolves when it ends.
 */
export async function readEventStream(
  path: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!response.ok || !response.body)
    throw new Error(`The event stream ${path} answered ${response.status}.`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent({ event, data: data.join('\n') });
      boundary = buffer.indexOf('\n\n');
    }
  }
}

/** Runs `follow` until the component unmounts, reconnecting after a pause when the stream drops. */
export function followStream(follow: (signal: AbortSignal) => Promise<void>, retryMs = 2000): () => void {
  const controller = new AbortController();
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        await follow(controller.signal);
      } catch {
        // dropped or refused: try again shortly
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();
  return () => controller.abort();
}
