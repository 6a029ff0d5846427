/**
 * Thumbnails made by this process, least recently used dropped first once their bytes pass the limit.
 * Concurrent requests for the same thumbnail share one rendering.
 */
export class ThumbnailCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly rendering = new Map<string, Promise<Buffer | undefined>>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  async get(key: string, render: () => Promise<Buffer | undefined>): Promise<Buffer | undefined> {
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const pending = this.rendering.get(key);
    if (pending) return pending;
    const started = render().then((value) => {
      if (value) this.remember(key, value);
      return value;
    });
    this.rendering.set(key, started);
    try {
      return await started;
    } finally {
      this.rendering.delete(key);
    }
  }

  private remember(key: string, value: Buffer): void {
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [oldest, buffer] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= buffer.length;
    }
  }
}
