import { describe, expect, it } from 'vitest';
import { createServerLogger } from './server-logger.js';

describe('createServerLogger', () => {
  it('writes one JSON line per entry with the error serialised, and honours the level', () => {
    const lines: string[] = [];
    const logger = createServerLogger({ level: 'warn', write: (line) => lines.push(line) });
    logger.info('not shown');
    logger.error({ err: new Error('disk full'), taskId: 'task_img_1' }, 'task failed');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as {
      level: number;
      msg: string;
      taskId: string;
      err: { message: string };
    };
    expect(entry).toMatchObject({
      level: 50,
      msg: 'task failed',
      taskId: 'task_img_1',
      err: { message: 'disk full' },
    });
  });
});
