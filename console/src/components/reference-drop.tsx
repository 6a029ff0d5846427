import { useRef, useState, type DragEvent } from 'react';
import { api } from '../api/api-client.js';
import { thumbnailUrl } from '../api/image-urls.js';
import { AuthImage } from './auth-image.js';
import { formatBytes } from './format.js';

export interface UploadedFile {
  id: string;
  name: string;
  mime_type: string;
  bytes: number;
  /** The stored bytes' address, for the server-made thumbnail (which also shows the upload arrived). */
  sha256: string;
}

/** Reference images: dropped or picked, each uploaded at once through `POST /v1/files`. */
export function ReferenceDrop({
  files,
  onChange,
}: {
  files: UploadedFile[];
  onChange: (files: UploadedFile[]) => void;
}) {
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const upload = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    setError(null);
    const added: UploadedFile[] = [];
    try {
      for (const file of Array.from(list)) {
        const form = new FormData();
        form.append('file', file);
        const stored = await api<{ id: string; mime_type: string; bytes: number; sha256: string }>(
          '/v1/files',
          { body: form },
        );
        added.push({
          id: stored.id,
          name: file.name,
          mime_type: stored.mime_type,
          bytes: stored.bytes,
          sha256: stored.sha256,
        });
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
      onChange([...files, ...added]);
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void upload(event.dataTransfer.files);
  };

  return (
    <div>
      <span id="references-label" className="label-text">
        <strong>Reference images</strong>
      </span>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p style={{ margin: 0 }}>Drop images here, or</p>
        <button type="button" className="secondary" onClick={() => input.current?.click()} disabled={busy}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/heic,image/heif"
          multiple
          hidden
          aria-labelledby="references-label"
          onChange={(event) => void upload(event.target.files)}
        />
        {busy && <p role="status">Uploading…</p>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {files.length > 0 && (
        <ul className="chips" aria-label="Uploaded references">
          {files.map((file) => (
            <li key={file.id}>
              <AuthImage
                src={thumbnailUrl(file.sha256, 128)}
                alt={`Reference image ${file.name}`}
                className="reference-thumbnail"
              />{' '}
              {file.name} ({formatBytes(file.bytes)}){' '}
              <button
                type="button"
                className="secondary"
                aria-label={`Remove ${file.name}`}
                onClick={() => onChange(files.filter((entry) => entry.id !== file.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
