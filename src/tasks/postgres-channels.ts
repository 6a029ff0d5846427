/** The `LISTEN/NOTIFY` channel names, named once for the store that notifies and the listener. */
export const postgresChannels = {
  /** A task became claimable (created, rescheduled, released); no payload. */
  claimable: 'imagegate_task_claimable',
  /** A task has new events; the payload is its id. */
  events: 'imagegate_task_events',
} as const;

/** What a task becoming claimable sends. */
export const claimableNotification = { channel: postgresChannels.claimable, payload: '' };

/** What new events of a task send. */
export function taskEventsNotification(taskId: string): { channel: string; payload: string } {
  return { channel: postgresChannels.events, payload: taskId };
}
