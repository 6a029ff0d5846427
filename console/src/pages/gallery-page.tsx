import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, queryString } from '../api/api-client.js';
import type { Page, Task, TaskImage } from '../api/types.js';
import { useSearchFilter } from '../api/use-search-filter.js';
import { utcDayRange } from '../api/utc-day-range.js';
import { AuthImage } from '../components/auth-image.js';
import { formatTime } from '../components/format.js';
import { ImageViewer } from '../components/image-viewer.js';
import { DayRangeFilter, ModelFilter } from '../components/list-filters.js';

export default function GalleryPage() {
  const { valueOf, setValue } = useSearchFilter();
  const model = valueOf('model');
  const from = valueOf('from');
  const to = valueOf('to');
  const [open, setOpen] = useState<{ task: Task; image: TaskImage } | null>(null);
  const { createdAfter, createdBefore } = utcDayRange(from, to);
  const tasks = useInfiniteQuery({
    queryKey: ['gallery', model, from, to],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api<Page<Task>>(
        `/v1/tasks${queryString({
          status: 'success',
          limit: 60,
          cursor: pageParam,
          model,
          created_after: createdAfter,
          created_before: createdBefore,
        })}`,
        { signal },
      ),
    getNextPageParam: (last) => (last.has_more ? (last.next_cursor ?? undefined) : undefined),
    // Changes made while the list was not on screen reached no cache: read it afresh on every visit.
    refetchOnMount: 'always',
  });
  const images = useMemo(
    () =>
      tasks.data?.pages.flatMap((page) =>
        page.data.flatMap((task) => (task.result?.images ?? []).map((image) => ({ task, image }))),
      ) ?? [],
    [tasks.data],
  );
  return (
    <>
      <h1>Gallery</h1>
      <form className="row card" aria-label="Filter images" onSubmit={(event) => event.preventDefault()}>
        <ModelFilter id="gallery-model" value={model} onChange={(value) => setValue('model', value)} />
        <DayRangeFilter
          idPrefix="gallery"
          labels={{ from: 'From (UTC)', to: 'To (UTC)' }}
          from={from}
          to={to}
          onChange={setValue}
        />
      </form>
      <p className="hint" aria-live="polite">
        {tasks.isPending ? 'Loading images…' : `${images.length} images`}
      </p>
      <ul className="gallery" aria-label="Images">
        {images.map(({ task, image }) => (
          <li key={`${task.id}-${image.sha256}`}>
            <button
              type="button"
              onClick={() => setOpen({ task, image })}
              aria-label={`Open image of task ${task.id}`}
            >
              <AuthImage src={`${image.url}/thumbnail?width=256`} alt="" width={256} height={256} />
              <span className="caption">
                {task.model} · {formatTime(task.created_at)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {tasks.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void tasks.fetchNextPage()}
            disabled={tasks.isFetchingNextPage}
          >
            More images
          </button>
        </div>
      )}
      {open && <ImageViewer task={open.task} image={open.image} onClose={() => setOpen(null)} />}
    </>
  );
}
