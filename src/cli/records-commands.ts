/**
 * `dropoff list-objects`, `get-object-history` and `get-summary`: the server's records of what was submitted and what
 * became of it, as tables (or JSON with --json).
 */
import { formatBytes } from '../engine/sizes.ts';
import { DropoffApi } from '../protocol/dropoff-api.ts';
import type { Submission, SubmissionStatus } from '../protocol/records-api.ts';
import type { Connection } from './settings.ts';
import { formatTable, type Column } from './table.ts';

/** Where the commands write. */
export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const SUBMISSION_COLUMNS: readonly Column<Submission>[] = [
  { header: 'KEY', cell: (s) => s.key },
  { header: 'STATUS', cell: (s) => s.status },
  { header: 'SIZE', cell: (s) => (s.size === null ? '-' : formatBytes(s.size)), right: true },
  { header: 'CATEGORY', cell: (s) => s.category || '-' },
  { header: 'RECEIVED', cell: (s) => s.receivedAt },
  { header: 'MESSAGE', cell: (s) => s.message ?? '' },
];

function apiFor(connection: Connection): DropoffApi {
  return new DropoffApi({ endpoint: connection.endpoint, ...(connection.token ? { token: connection.token } : {}) });
}

/** Lists the latest submission of every key under `prefix` (all pages), optionally of one category only. */
export async function listObjects(connection: Connection, flags: { prefix?: string; category?: string; json: boolean }, out: Output): Promise<void> {
  const api = apiFor(connection);
  const objects: Submission[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listObjects({ ...(flags.prefix ? { prefix: flags.prefix } : {}), ...(cursor ? { cursor } : {}) });
    objects.push(...page.objects.filter((o) => flags.category === undefined || o.category === flags.category));
    cursor = page.cursor;
  } while (cursor);
  if (flags.json) out.stdout(JSON.stringify(objects, null, 2));
  else if (objects.length === 0) out.stdout(`No objects under "${flags.prefix ?? ''}"${flags.category ? ` in category ${flags.category}` : ''}.`);
  else out.stdout(formatTable(objects, SUBMISSION_COLUMNS));
}

/** Every submission of one key, newest first. */
export async function getObjectHistory(connection: Connection, flags: { key: string; json: boolean }, out: Output): Promise<void> {
  const history = await apiFor(connection).getObjectHistory(flags.key);
  if (flags.json) out.stdout(JSON.stringify(history, null, 2));
  else if (history.length === 0) out.stdout(`No submissions of "${flags.key}".`);
  else out.stdout(formatTable(history, [...SUBMISSION_COLUMNS.filter((c) => c.header !== 'KEY'), { header: 'SHA-256', cell: (s) => s.sha256 ?? '-' }]));
}

/** Counts of submissions by status under a prefix, within the dates given. */
export async function getSummary(connection: Connection, flags: { prefix?: string; submittedAfter?: string; submittedBefore?: string; json: boolean }, out: Output): Promise<void> {
  const summary = await apiFor(connection).getSummary({
    ...(flags.prefix ? { prefix: flags.prefix } : {}),
    ...(flags.submittedAfter ? { submittedAfter: flags.submittedAfter } : {}),
    ...(flags.submittedBefore ? { submittedBefore: flags.submittedBefore } : {}),
  });
  if (flags.json) {
    out.stdout(JSON.stringify(summary, null, 2));
    return;
  }
  const rows = (Object.entries(summary.byStatus) as [SubmissionStatus, number][]).map(([status, count]) => ({ status, count }));
  rows.push({ status: 'TOTAL' as SubmissionStatus, count: summary.total });
  const window = [summary.submittedAfter && `from ${summary.submittedAfter}`, summary.submittedBefore && `before ${summary.submittedBefore}`].filter(Boolean).join(' ');
  out.stdout(`Submissions under "${summary.prefix}"${window ? ` ${window}` : ''}:\n${formatTable(rows, [
    { header: 'STATUS', cell: (r) => r.status },
    { header: 'COUNT', cell: (r) => String(r.count), right: true },
  ])}`);
}
