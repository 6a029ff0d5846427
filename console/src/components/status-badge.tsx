import type { TaskStatus } from '../api/types.js';

export function StatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`badge ${status}`}>{status}</span>;
}
