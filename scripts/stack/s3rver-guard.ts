/**
 * A guard in front of s3rver, which itself checks no signature and writes files named from request parameters: every
 * request but a CORS preflight must carry a valid, current SigV4 signature by the stack's access key (a presigned URL
 * from the reference server, or the server's own signed call), and only then is it passed on. Unsigned writes, forged
 * or expired URLs, and parameters that could name a file outside s3rver's folder never reach it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { listenOnLoopback } from './processes.ts';
import { SigV4Verifier } from './sigv4-verifier.ts';

/** A running guard. */
export interface S3rverGuard {
  /** The guard's URL: the S3 endpoint to give clients. */
  readonly url: string;
  /** Requests refused so far, with why (for tests and the log). */
  readonly refused: readonly { method: string; path: string; reason: string }[];
  /** Stops it. */
  close(): Promise<void>;
}

/** The shapes s3rver's file names are built from: anything else is refused before any signature check. */
const SAFE_PARAMS: Readonly<Record<string, RegExp>> = {
  uploadId: /^[A-Za-z0-9][A-Za-z0-9._~-]*$/,
  partNumber: /^[1-9][0-9]{0,4}$/,
};

/**
 * Starts the guard on 127.0.0.1:`port` (0 picks one), passing verified requests to s3rver at 127.0.0.1:`targetPort`.
 * `client` holds the credentials requests must be signed with.
 */
export async function startS3rverGuard(targetPort: number, client: S3Client, accessKeyId: string, region: string, port = 0): Promise<S3rverGuard> {
  const verifier = new SigV4Verifier(client, accessKeyId, region);
  const refused: { method: string; path: string; reason: string }[] = [];
  const refuse = (req: IncomingMessage, res: ServerResponse, reason: string) => {
    refused.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', reason });
    req.resume();
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Refused by the local storage guard: ${escapeXml(reason)}.</Message></Error>`);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const problem = await check(req, verifier);
      if (problem) return refuse(req, res, problem);
      forward(req, res, targetPort);
    })().catch((error: unknown) => refuse(req, res, `could not be checked (${(error as Error).message})`));
  });
  const url = port === 0 ? await listenOnLoopback(server) : await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${port}`));
  });
  return {
    url,
    refused,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Why `req` may not pass, or undefined. */
async function check(req: IncomingMessage, verifier: SigV4Verifier): Promise<string | undefined> {
  // A CORS preflight carries no credentials and changes nothing: s3rver answers it from the bucket's CORS rules.
  if (req.method === 'OPTIONS') return undefined;
  const raw = req.url ?? '/';
  const queryStart = raw.indexOf('?');
  const rawPath = queryStart < 0 ? raw : raw.slice(0, queryStart);
  let segments: string[];
  try {
    segments = rawPath.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return 'the path is not valid percent-encoding';
  }
  if (segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('/') || s.includes('\0'))) return 'the path leaves the bucket';
  const params = new URLSearchParams(queryStart < 0 ? '' : raw.slice(queryStart + 1));
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in query) return `the query names "${name}" twice`;
    const shape = SAFE_PARAMS[name];
    if (shape && !shape.test(value)) return `"${name}" is not a valid value`;
    query[name] = value;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  const problem = await verifier.verify({ method: req.method ?? 'GET', rawPath, query, headers });
  return problem;
}

function forward(req: IncomingMessage, res: ServerResponse, targetPort: number): void {
  const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
