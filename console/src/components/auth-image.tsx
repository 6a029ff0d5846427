import { useEffect, useState } from 'react';
import { authHeaders } from '../api/api-client.js';

/**
 * An image from the API: fetched with the session's key (an <img src> cannot send it), shown from a
 * blob URL. Images are immutable, so the browser's HTTP cache still answers repeat loads.
 */
export function AuthImage({
  src,
  alt,
  className,
  width,
  height,
}: {
  src: string;
  alt: string;
  className?: string;
  width?: number;
  height?: number;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetch(src, { headers: authHeaders(), signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        objectUrl = URL.createObjectURL(await response.blob());
        setUrl(objectUrl);
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [src]);
  if (failed) return <span className="muted">image unavailable</span>;
  if (!url)
    return (
      <span className="muted" role="status">
        loading image…
      </span>
    );
  return <img src={url} alt={alt} className={className} width={width} height={height} />;
}
