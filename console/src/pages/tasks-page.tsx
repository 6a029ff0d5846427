import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { api, queryString } from '../api/api-client.js';
import { useLiveTasks, type TaskFilter } from '../api/use-live-tasks.js';
import { taskStatuses, type Page, type Task } from '../api/types.js';
import { useSearchFilter } from '../api/use-search-filter.js';
import { utcDayRange } from '../api/utc-day-range.js';
import { formatTime, formatUsd } from '../components/format.js';
import { KeyFilter } from '../components/key-filter.js';
import { DayRangeFilter, ModelFilter } from '../components/list-filters.js';
import { StatusBadge } from '../components/status-badge.js';

const ROW_HEIGHT = 40;

export default function TasksPage() {
  const { valueOf, setValue } = useSearchFilter();
  const status = valueOf('status');
  const model = valueOf('model');
  const apiKeyId = valueOf('key');
  const from = valueOf('from');
  const to = valueOf('to');
  const filter: TaskFilter = useMemo(
    () => ({
      status: status || undefined,
      model: model || undefined,
      apiKeyId: apiKeyId || undefined,
      ...utcDayRange(from, to),
    }),
    [status, model, apiKeyId, from, to],
  );
  useLiveTasks();
  const tasks = useInfiniteQuery({
    queryKey: ['tasks', filter],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api<Page<Task>>(
        `/v1/tasks${queryString({
          limit: 100,
          cursor: pageParam,
          status: filter.status,
          model: filter.model,
          api_key_id: filter.apiKeyId,
          created_after: filter.createdAfter,
          created_before: filter.createdBefore,
        })}`,
        { signal },
      ),
    getNextPageParam: (last) => (last.has_more ? (last.next_cursor ?? undefined) : undefined),
    // Changes made while the list was not on screen reached no cache: read it afresh on every visit.
    refetchOnMount: 'always',
  });
  const rows = useMemo(() => tasks.data?.pages.flatMap((page) => page.data) ?? [], [tasks.data]);

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders us itself
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = tasks;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <>
      <h1>Tasks</h1>
      <form className="row card" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={status}
            onChange={(event) => setValue('status', event.target.value)}
          >
            <option value="">any</option>
            {taskStatuses.map((entry) => (
              <option key={entry}>{entry}</option>
            ))}
          </select>
        </div>
        <ModelFilter id="filter-model" value={model} onChange={(value) => setValue('model', value)} />
        <KeyFilter value={apiKeyId} onChange={(keyId) => setValue('key', keyId)} />
        <DayRangeFilter
          idPrefix="filter"
          labels={{ from: 'Created from (UTC)', to: 'Created to (UTC)' }}
          from={from}
          to={to}
          onChange={setValue}
        />
      </form>
      <p className="hint" aria-live="polite">
        {tasks.isPending
          ? 'Loading tasks…'
          : tasks.isError
            ? `Could not load tasks: ${tasks.error.message}`
            : `${rows.length}${tasks.hasNextPage ? '+' : ''} tasks, newest first; the list updates live.`}
      </p>
      <div role="table" aria-label="Tasks" aria-rowcount={rows.length + 1}>
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="task-list-header">
            <span role="columnheader">Task</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Model</span>
            <span role="columnheader">Created</span>
            <span role="columnheader" className="num">
              Cost
            </span>
          </div>
        </div>
        <div
          ref={scroller}
          className="task-list"
          role="rowgroup"
          data-testid="task-list"
          tabIndex={0}
          aria-label="Task rows"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const task = rows[item.index]!;
              return (
                <div
                  key={task.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className="task-row"
                  data-task-id={task.id}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <span role="cell">
                    <Link to={`/tasks/${task.id}`}>{task.id}</Link>
                  </span>
                  <span role="cell">
                    <StatusBadge status={task.status} />
                  </span>
                  <span role="cell">{task.model}</span>
                  <span role="cell">{formatTime(task.created_at)}</span>
                  <span role="cell" className="num">
                    {formatUsd(task.cost.actual_usd ?? task.cost.estimated_usd)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
}
