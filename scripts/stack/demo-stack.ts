/**
 * The demo on the local stack: s3rver (data in .data/s3rver), the reference server, and the demo page served by Vite.
 */
import { createServer, type ViteDevServer } from 'vite';
import { startLocalStack, type LocalStack } from './local-stack.ts';
import { freePort } from './processes.ts';

/** Ports and data folders of the demo stack; port 0 picks a free one. */
export interface DemoOptions {
  /** Local S3 (s3rver). Default 4569. */
  readonly s3?: number;
  /** Reference server. Default 8787. */
  readonly server?: number;
  /** Demo page. Default 5173. */
  readonly page?: number;
  /** Where s3rver keeps its data. Default `.data/s3rver`. */
  readonly s3rverDirectory?: string;
  /** Where PGlite keeps the records of submissions. Default `.data/pglite`. */
  readonly dataDirectory?: string;
}

/** A running demo. */
export interface DemoStack {
  /** The demo page's URL. */
  readonly pageUrl: string;
  /** The stack under it. */
  readonly stack: LocalStack;
  /** Stops page, server and storage. */
  stop(): Promise<void>;
}

/** Starts the demo; DROPOFF_TOKENS may name other users than the default `demo-token:demo`. */
export async function startDemo(ports: DemoOptions = {}, log?: (line: string) => void): Promise<DemoStack> {
  const tokens = process.env.DROPOFF_TOKENS ?? 'demo-token:demo';
  // The storage and the server answer the demo page's origin only, so no other page open in the browser can use them.
  const pagePort = ports.page === 0 ? await freePort() : ports.page ?? 5173;
  const stack = await startLocalStack({
    storage: 's3rver', tokens, s3rverDirectory: ports.s3rverDirectory ?? '.data/s3rver',
    allowedOrigins: [`http://127.0.0.1:${pagePort}`, `http://localhost:${pagePort}`],
    s3rverPort: ports.s3 ?? 4569, serverPort: ports.server ?? 8787, log,
    dataDirectory: ports.dataDirectory ?? '.data/pglite',
  });
  let vite: ViteDevServer;
  try {
    process.env.VITE_DROPOFF_ENDPOINT = stack.serverUrl;
    process.env.VITE_DROPOFF_TOKEN = tokens.split(',')[0]!.slice(0, tokens.split(',')[0]!.lastIndexOf(':'));
    vite = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn', server: { host: '127.0.0.1', port: pagePort, strictPort: true } });
    await vite.listen();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const address = vite.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : pagePort;
  return {
    pageUrl: `http://127.0.0.1:${port}/demo/`,
    stack,
    stop: async () => {
      await vite.close();
      await stack.stop();
    },
  };
}
