import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulator, type EmulatorOptions } from '../../src/emulator/index.js';

export interface RecordingEmulator {
  url: string;
  /** Arrival times (Date.now()) of the generateContent calls the emulator answered 200, in order. */
  acceptedMs: number[];
  /** Answers by HTTP status, generateContent calls only. */
  byStatus: Map<number, number>;
  close(): Promise<void>;
}

/** The emulator over HTTP, noting when each image call arrived and how it was answered. */
export async function startRecordingEmulator(options: EmulatorOptions = {}): Promise<RecordingEmulator> {
  const emulator = createEmulator(options);
  const acceptedMs: number[] = [];
  const byStatus = new Map<number, number>();
  const fetch = async (request: Request) => {
    const arrivedMs = Date.now();
    const response = await emulator.app.fetch(request);
    if (request.method === 'POST' && request.url.includes(':generateContent')) {
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      if (response.status === 200) acceptedMs.push(arrivedMs);
    }
    return response;
  };
  const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>(
    (resolve, reject) => {
      const listening = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve({ server: listening, address: info }),
      );
      listening.once('error', reject);
    },
  );
  return {
    url: `http://127.0.0.1:${address.port}`,
    acceptedMs,
    byStatus,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
