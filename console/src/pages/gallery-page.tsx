import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, queryString } from '../api/api-client.js';
import type { Page, Task, TaskImage } from '../api/types.js';
import { useModels } from '../api/use-models.js';
import { utcDayRange } from '../api/utc-day-range.js';
import { AuthImage } from '../components/auth-image.js';
import { formatTime } from '../components/format.js';
import { ImageViewer } from '../components/image-viewer.js';

export default function GalleryPage() {
  const [search, setSearch] = useSearchParams();
  const model = search.get('model') ?? '';
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const models = useModels();
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
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };
  const modelNames = [
    ...(models.data?.logical_names.map((entry) => entry.id) ?? []),
    ...(models.data?.data.map((entry) => entry.id) ?? []),
  ];

  return (
    <>
      <h1>Gallery</h1>
      <form className="row card" aria-label="Filter images" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="gallery-model">Model</label>
          <select
            id="gallery-model"
            value={model}
            onChange={(event) => setParam('model', event.target.value)}
          >
            <option value="">any</option>
            {modelNames.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="gallery-from">From (UTC)</label>
          <input
            id="gallery-from"
            type="date"
            value={from}
            onChange={(event) => setParam('from', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="gallery-to">To (UTC)</label>
          <input
            id="gallery-to"
            type="date"
            value={to}
            onChange={(event) => setParam('to', event.target.value)}
          />
        </div>
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
