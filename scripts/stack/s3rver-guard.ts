/**
 * A guard in front of s3rver, which itself checks no signature and writes files named from request parameters: every
 * request but a CORS preflight must carry a valid, current SigV4 signature by the stack's access key (a presigned URL
 * from the reference server, or the server's own signed call), and only then is it passed on. Unsigned writes, forged
 * or expired URLs, and parameters that could name a file outside s3rver's folder never reach it.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { listenOnLoopback } from './processes.ts';
import { postPolicyProblem } from './post-policy.ts';
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
  const bucketPath = /^\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/?$/;
  const refused: { method: string; path: string; reason: string }[] = [];
  // Our own connections to s3rver, closed with the guard: kept-alive sockets would otherwise hold s3rver's close.
  const agent = new Agent({ keepAlive: true });
  const refuse = (req: IncomingMessage, res: ServerResponse, reason: string) => {
    refused.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', reason });
    req.resume();
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Refused by the local storage guard: ${escapeXml(reason)}.</Message></Error>`);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      // A browser form upload (POST policy) carries its signature in the form: read it whole, check it, send it on.
      if (req.method === 'POST' && bucketPath.test(path) && !(req.url ?? '').includes('?') && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
        const body = await readBody(req, MAX_FORM_BYTES);
        if (!body) return refuse(req, res, `a form upload is larger than ${MAX_FORM_BYTES} bytes`);
        const problem = await checkForm(body, req.headers['content-type']!, path.replace(/\//g, ''), verifier);
        if (problem) return refuse(req, res, problem);
        return forward(req, res, targetPort, agent, body);
      }
      const problem = await check(req, verifier);
      if (problem) return refuse(req, res, problem);
      forward(req, res, targetPort, agent);
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
      agent.destroy();
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

/** Form uploads are small objects (large ones go multipart): the guard holds at most this much of one. */
const MAX_FORM_BYTES = 256 * 1024 * 1024;

/** The whole body, or undefined past `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a multipart form (with the Fetch API's own parser) and checks its POST policy. */
async function checkForm(body: Buffer, contentType: string, bucket: string, verifier: SigV4Verifier): Promise<string | undefined> {
  let form: FormData;
  try {
    form = await new Request('http://guard.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Blob([new Uint8Array(body)]) }).formData();
  } catch {
    return 'the form cannot be parsed';
  }
  const fields: [string, string][] = [];
  let fileSize: number | undefined;
  for (const [name, value] of form.entries()) {
    if (fileSize !== undefined) return 'a field follows the file';
    if (name.toLowerCase() === 'file') fileSize = typeof value === 'string' ? Buffer.byteLength(value) : value.size;
    else if (typeof value === 'string') fields.push([name, value]);
    else return `the field "${name}" is a file`;
  }
  if (fileSize === undefined) return 'the form holds no file';
  return postPolicyProblem({ fields, fileSize }, bucket, verifier.stringSigner, verifier.accessKeyId);
}

function forward(req: IncomingMessage, res: ServerResponse, targetPort: number, agent: Agent, body?: Buffer): void {
  const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
    // s3rver may end an answer short of its Content-Length (a range of an empty object): cut the client off too,
    // as a direct connection would, instead of leaving it waiting.
    answer.on('aborted', () => res.destroy());
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  // A client that goes away mid-request (a cancelled or paused upload) must not leave s3rver waiting for the rest.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  if (body) upstream.end(body);
  else req.pipe(upstream);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
