/**
 * A fault-injecting HTTP proxy on 127.0.0.1 for the tests: it forwards to one target (the storage or the reference
 * server) and, for the requests a rule matches, answers an error instead, drops the connection in the middle of the
 * request body, answers 403 as for an expired URL, or waits first. CORS preflights pass through untouched unless a
 * rule names OPTIONS. It can also forward a request but hide the ETag from the page, as a bucket whose CORS rule does
 * not expose it would, or forward a request and cut the connection once the target has answered (`lose-answer`: the
 * call took effect but the client never hears so). It counts the request body bytes it forwards.
 */
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../scripts/stack/processes.ts';

/** One scripted fault. */
export interface FaultRule {
  /** HTTP method to match. Default: any but OPTIONS. */
  readonly method?: string;
  /** Regular expression (source) the path and query must match. Default: any. */
  readonly path?: string;
  /** How many matching requests get the fault; then the rule is spent. Default 1. `-1`: every one. */
  readonly times?: number;
  /** What to do. */
  readonly action: 'status' | 'drop' | 'expire' | 'delay' | 'hide-etag' | 'lose-answer';
  /** Status to answer, for `status`. */
  readonly status?: number;
  /** Milliseconds to wait before forwarding, for `delay`. */
  readonly delayMs?: number;
}

/** What the proxy saw. */
export interface FaultLog {
  /** Requests forwarded, by method. */
  readonly forwarded: Record<string, number>;
  /** Faults applied, by action. */
  readonly faults: Record<string, number>;
  /** Request body bytes forwarded to the target. */
  readonly bytesForwarded: number;
  /** The part of those in PUT requests (uploaded parts and objects). */
  readonly putBytesForwarded: number;
  /** Requests the target could not answer (refused, reset): the client saw its connection drop. */
  readonly upstreamErrors: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Replaces the rules (and resets the log). */
  script(rules: readonly FaultRule[]): void;
  /** What happened since the last `script`. */
  log(): FaultLog;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts a proxy to `targetPort` on 127.0.0.1. */
export function startFaultProxy(targetPort: number, flavour: 'storage' | 'server'): Promise<FaultProxy> {
  let rules: { rule: FaultRule; left: number }[] = [];
  let log = { forwarded: {} as Record<string, number>, faults: {} as Record<string, number>, bytesForwarded: 0, putBytesForwarded: 0, upstreamErrors: 0 };
  // Requests still draining from before the last `script` (e.g. held by a delay) are not counted in the new log.
  let generation = 0;
  const server: Server = createServer((req, res) => {
    const arrived = generation;
    const entry = rules.find(({ rule, left }) => left !== 0
      && (rule.method ? rule.method === req.method : req.method !== 'OPTIONS')
      && (!rule.path || new RegExp(rule.path).test(req.url ?? '')));
    if (entry) {
      if (entry.left > 0) entry.left--;
      log.faults[entry.rule.action] = (log.faults[entry.rule.action] ?? 0) + 1;
      if (entry.rule.action === 'delay') {
        setTimeout(() => pass(req, res, arrived), entry.rule.delayMs ?? 500);
        return;
      }
      if (entry.rule.action === 'hide-etag') {
        pass(req, res, arrived, true);
        return;
      }
      if (entry.rule.action === 'lose-answer') {
        pass(req, res, arrived, false, true);
        return;
      }
      fault(entry.rule, req, res, flavour);
      return;
    }
    pass(req, res, arrived);
  });
  const pass = (req: IncomingMessage, res: ServerResponse, arrived: number, hideEtag = false, loseAnswer = false) => {
    const current = arrived === generation;
    if (current) log.forwarded[req.method ?? '?'] = (log.forwarded[req.method ?? '?'] ?? 0) + 1;
    const upstream = forward({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (loseAnswer) {
        answer.resume();
        res.socket?.destroy();
        return;
      }
      const headers = { ...answer.headers };
      // As if the bucket's CORS rule did not list ETag in ExposeHeaders.
      if (hideEtag) delete headers['access-control-expose-headers'];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (current && arrived === generation) log.upstreamErrors++;
      res.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      if (!current || arrived !== generation) return;
      log.bytesForwarded += chunk.length;
      if (req.method === 'PUT') log.putBytesForwarded += chunk.length;
    });
    req.pipe(upstream);
  };
  return listenOnLoopback(server).then((url) => ({
    url,
    script(next: readonly FaultRule[]) {
      rules = next.map((rule) => ({ rule, left: rule.times ?? 1 }));
      log = { forwarded: {}, faults: {}, bytesForwarded: 0, putBytesForwarded: 0, upstreamErrors: 0 };
      generation++;
    },
    log: () => structuredClone(log),
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  }));
}

function fault(rule: FaultRule, req: IncomingMessage, res: ServerResponse, flavour: 'storage' | 'server'): void {
  if (rule.action === 'drop') {
    // Take some of the body, then cut the connection: a network failure in the middle of the upload.
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 64 * 1024) req.socket.destroy();
    });
    req.on('end', () => req.socket.destroy());
    return;
  }
  req.resume();
  const status = rule.action === 'expire' ? 403 : rule.status ?? 503;
  const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', 'access-control-expose-headers': 'ETag, Retry-After' };
  if (flavour === 'server') {
    res.writeHead(status, { ...cors, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: `injected_${status}`, message: `Injected ${status} from the fault proxy.`, retryable: status >= 502 } }));
    return;
  }
  const code = rule.action === 'expire' ? 'AccessDenied' : status === 503 ? 'SlowDown' : 'InternalError';
  const message = rule.action === 'expire' ? 'Request has expired' : `Injected ${status}`;
  res.writeHead(status, { ...cors, 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
