import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { download } from '../api/download.js';
import type { TaskRequest } from '../api/task-request.js';
import type { Task, TaskImage } from '../api/types.js';
import { AuthImage } from './auth-image.js';
import { formatBytes, formatTime } from './format.js';

interface ImageDetails {
  sha256: string;
  mime_type: string;
  bytes: number;
  width: number | null;
  height: number | null;
  provenance: {
    logical_model: string;
    served_model: string;
    platform: string;
    prompt_sha256: string;
    task_id: string;
  } | null;
}

/**
 * A modal dialog with the full image, its prompt, its embedded provenance and a download button;
 * `children` adds facts (`dt`/`dd` pairs) the caller knows, such as a flow run's node and variant.
 */
export function ImageViewer({
  task,
  image,
  onClose,
  children,
}: {
  task: Task;
  image: TaskImage;
  onClose: () => void;
  children?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const request = useQuery({
    queryKey: ['task-request', task.id],
    queryFn: () => api<TaskRequest>(`/v1/tasks/${task.id}/request`),
  });
  const details = useQuery({
    queryKey: ['image-provenance', image.sha256],
    queryFn: () => api<ImageDetails>(`/v1/images/${image.sha256}/provenance`),
  });
  const extension = image.mime_type === 'image/jpeg' ? 'jpg' : 'png';
  const prompt = request.data?.prompt ?? '';
  return (
    <dialog ref={dialog} className="viewer-dialog" aria-labelledby="viewer-title" onClose={onClose}>
      <div className="viewer-body">
        <div>
          <AuthImage
            src={image.url}
            alt={prompt || 'Generated image'}
            width={image.width}
            height={image.height}
          />
        </div>
        <div className="stack">
          <h2 id="viewer-title">Image</h2>
          <dl className="facts">
            <dt>Prompt</dt>
            <dd>{prompt || '…'}</dd>
            <dt>Task</dt>
            <dd>
              <Link to={`/tasks/${task.id}`}>{task.id}</Link>
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(task.created_at)}</dd>
            <dt>Size</dt>
            <dd>
              {image.width}×{image.height}, {details.data ? formatBytes(details.data.bytes) : '…'}
            </dd>
            <dt>Asked for</dt>
            <dd>{details.data?.provenance?.logical_model ?? task.model}</dd>
            <dt>Served by</dt>
            <dd>
              {details.data?.provenance
                ? `${details.data.provenance.served_model} on ${details.data.provenance.platform}`
                : (task.served_by?.model ?? '—')}
            </dd>
            <dt>Prompt hash</dt>
            <dd>
              <code>{details.data?.provenance?.prompt_sha256.slice(0, 16) ?? '—'}…</code>
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{image.sha256.slice(0, 16)}…</code>
            </dd>
            {children}
          </dl>
          <p className="hint">Provenance is embedded in the file itself, so it travels with every copy.</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => void download(image.url, `${task.id}-${image.sha256.slice(0, 8)}.${extension}`)}
            >
              Download
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </div>
      </div>
    </dialog>
  );
}
