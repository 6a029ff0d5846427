/** The `LISTEN/NOTIFY` channel names, named once for the store that notifies and the listener. */
export const postgresChannels = {
  /** A task became claimable (created, rescheduled, released); no payload. */
  claimable: 'imagegate_task_claimable',
  /** A task has new events; the payload is its id. */
  events: 'imagegate_task_events',
} as const;
