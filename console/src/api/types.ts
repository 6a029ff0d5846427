/*
 * The API's shapes, taken from the server's own view types (type-only imports: nothing of the server is
 * bundled), so the console and the API cannot drift apart.
 */
export type { TaskView as Task, TaskImageView as TaskImage } from '../../../src/server/task-view.js';
export type {
  ModelView as Model,
  LogicalNameView as LogicalName,
  LifecycleView as Lifecycle,
} from '../../../src/server/model-view.js';

export type TaskStatus = 'queued' | 'processing' | 'success' | 'failed' | 'cancelled';
export const taskStatuses: readonly TaskStatus[] = ['queued', 'processing', 'success', 'failed', 'cancelled'];

export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
