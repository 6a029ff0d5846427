import type { Task } from '../api/types.js';
import { AuthImage } from './auth-image.js';

/** A finished task's images, each linking to the full-size file. */
export function TaskImages({ task, alt }: { task: Task; alt: string }) {
  if (!task.result || task.result.images.length === 0) return null;
  return (
    <div className="images">
      {task.result.images.map((image, index) => (
        <figure key={image.sha256} style={{ margin: 0 }}>
          <AuthImage
            src={image.url}
            alt={`${alt} (image ${index + 1} of ${task.result!.images.length})`}
            className="result-image"
            width={image.width}
            height={image.height}
          />
          <figcaption className="hint">
            {image.width}×{image.height} {image.mime_type}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
