import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { InlinedResponse } from '@google/genai';
import { z } from 'zod';

const resultLineSchema = z.looseObject({
  key: z.string().optional(),
  response: z.looseObject({}).optional(),
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
});

/**
 * The lines of a downloaded results file, one at a time (the file is never held whole): each as the
 * inline response it stands for, its key in `metadata.key`. A line that is not a result is an error
 * entry naming the line, so its task is not left waiting.
 */
export async function* resultsFromFile(path: string): AsyncGenerator<InlinedResponse> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      yield { error: { code: 500, message: `line ${number} of the results file is not JSON` } };
      continue;
    }
    const parsed = resultLineSchema.safeParse(raw);
    if (!parsed.success) {
      yield {
        error: {
          code: 500,
          message: `line ${number} of the results file: ${parsed.error.issues[0]?.message}`,
        },
      };
      continue;
    }
    const { key, response, error } = parsed.data;
    yield {
      ...(key !== undefined ? { metadata: { key } } : {}),
      ...(response ? { response: response as unknown as InlinedResponse['response'] } : {}),
      ...(error ? { error } : {}),
    } as InlinedResponse;
  }
}
