/**
 * A TCP proxy on 127.0.0.1 that limits the bytes sent from client to target (the upload direction) to a rate shared
 * by all connections: a stand-in for a real uplink when measuring throughput against storage on loopback.
 * Responses flow back unthrottled.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { listenOnLoopback } from '../scripts/stack/processes.ts';

/** What the link did between two {@link LinkMeter.reset}s. */
export interface LinkUse {
  /** Bytes sent upstream. */
  readonly bytes: number;
  /** Seconds from the first byte to the last. */
  readonly activeSeconds: number;
  /**
   * Seconds of the link's capacity left unused between the first byte and the last: time when nothing was waiting
   * to be sent and the bucket was already full. What the sender failed to keep the link busy for.
   */
  readonly idleSeconds: number;
  /** The longest such stretch, in seconds. */
  readonly longestIdleSeconds: number;
  /** Stretches of at least 20 ms: [seconds after the first byte that it ended, its length in seconds]. */
  readonly stretches: ReadonlyArray<readonly [number, number]>;
}

/** A token bucket shared by every connection, which also keeps count of the capacity it had to throw away. */
class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private firstAt: number | undefined;
  private lastAt = 0;
  private bytes = 0;
  private wasted = 0;
  private longestWaste = 0;
  private stretches: Array<[number, number]> = [];

  constructor(private readonly bytesPerSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  /** Starts counting afresh (the bucket itself is left as it is). */
  reset(): void {
    this.firstAt = undefined;
    this.bytes = this.wasted = this.longestWaste = 0;
    this.stretches = [];
  }

  /** What the link did since the last reset. */
  use(): LinkUse {
    const activeSeconds = this.firstAt === undefined ? 0 : (this.lastAt - this.firstAt) / 1000;
    return { bytes: this.bytes, activeSeconds, idleSeconds: this.wasted / this.bytesPerSecond, longestIdleSeconds: this.longestWaste / this.bytesPerSecond, stretches: this.stretches };
  }

  /** Milliseconds to wait before `bytes` may pass (taking them now). */
  take(bytes: number): number {
    const now = performance.now();
    const refilled = this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond;
    // Capacity above the burst is gone for good; counted only once the run's first byte has passed.
    if (this.firstAt !== undefined && refilled > this.burst) {
      const waste = refilled - this.burst;
      this.wasted += waste;
      this.longestWaste = Math.max(this.longestWaste, waste);
      if (waste / this.bytesPerSecond >= 0.02) this.stretches.push([(now - this.firstAt) / 1000, waste / this.bytesPerSecond]);
    }
    this.firstAt ??= now;
    this.lastAt = now;
    this.bytes += bytes;
    this.tokens = Math.min(this.burst, refilled);
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
  /** Starts counting the link's use afresh. */
  resetUse(): void;
  /** What the link did since the last {@link ThrottleProxy.resetUse}. */
  use(): LinkUse;
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
    // Node's sockets have Nagle's algorithm on: an answer forwarded in two writes (headers, then a short body) waited
    // for the other end's delayed ACK, ~40 ms per create or complete through the proxy. A link does not do that.
    client.setNoDelay(true);
    target.setNoDelay(true);
    sockets.add(client).add(target);
    client.pipe(new Throttle(bucket)).pipe(target);
    target.pipe(client);
    const end = () => { client.destroy(); target.destroy(); sockets.delete(client); sockets.delete(target); };
    client.on('error', end).on('close', end);
    target.on('error', end).on('close', end);
  });
  return listenOnLoopback(server).then((url) => ({
    url,
    resetUse: () => bucket.reset(),
    use: () => bucket.use(),
    close: () => new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    }),
  }));
}
