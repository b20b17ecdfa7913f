/**
 * A TCP proxy on 127.0.0.1 that limits the bytes sent from client to target (the upload direction) to a rate shared
 * by all connections: a stand-in for a real uplink when measuring throughput against storage on loopback.
 * Responses flow back unthrottled.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { listenOnLoopback } from '../scripts/stack/processes.ts';

/** A token bucket shared by every connection. */
class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly bytesPerSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  /** Milliseconds to wait before `bytes` may pass (taking them now). */
  take(bytes: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.bytesPerSecond) * 1000;
  }
}

class Throttle extends Transform {
  constructor(private readonly bucket: TokenBucket) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const wait = this.bucket.take(chunk.length);
    if (wait === 0) done(null, chunk);
    else setTimeout(() => done(null, chunk), wait);
  }
}

/** A running proxy. */
export interface ThrottleProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops it and drops its connections. */
  close(): Promise<void>;
}

/**
 * How many bytes the link may pass at once after a pause: a real uplink keeps sending from the kernel's socket buffer
 * (megabytes) while the sending program waits for a CPU, so its capacity is not lost. This proxy's timers run late
 * when the two cores are busy (the storage, the browser and the hashing share them), and with a burst of a few
 * milliseconds' worth (256 KiB) every late timer was link time lost for good, which measured the harness's CPU, not
 * the uploader. 2 MiB is 40 ms at 50 MiB/s; over a 1 GiB upload it lets the average exceed the rate by at most 0.2 %.
 */
const BURST_BYTES = 2 * 1024 * 1024;

/** Proxies 127.0.0.1:<free port> to `targetPort` on 127.0.0.1, uploads limited to `bytesPerSecond`. */
export function startThrottleProxy(targetPort: number, bytesPerSecond: number): Promise<ThrottleProxy> {
  const bucket = new TokenBucket(bytesPerSecond, BURST_BYTES);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const target = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(target);
    client.pipe(new Throttle(bucket)).pipe(target);
    target.pipe(client);
    const end = () => { client.destroy(); target.destroy(); sockets.delete(client); sockets.delete(target); };
    client.on('error', end).on('close', end);
    target.on('error', end).on('close', end);
  });
  return listenOnLoopback(server).then((url) => ({
    url,
    close: () => new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    }),
  }));
}
