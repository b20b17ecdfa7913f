/**
 * Checks a browser form upload (S3 POST Object with a SigV4 POST policy) before it reaches s3rver, which checks
 * nothing: the policy's signature (computed again by the AWS SDK's signer), its expiry, that every condition holds
 * for the form and the file (bucket, key, content-length-range, exact and starts-with fields), that every field is
 * covered by a condition, and that the key is a valid key (no `..` segments: s3rver makes file names of keys).
 */
import { timingSafeEqual } from 'node:crypto';
import type { SignatureV4 } from '@smithy/signature-v4';
import { keyProblem } from '../../src/engine/key-rules.ts';

/** A parsed form upload: its fields in order (names as sent) and the file's size. */
export interface PostForm {
  readonly fields: readonly (readonly [string, string])[];
  readonly fileSize: number;
}

type Condition = Record<string, string> | [string, string | number, string | number];

/** Fields AWS does not require a condition for. */
const EXEMPT = new Set(['x-amz-signature', 'policy', 'file', 'awsaccesskeyid', 'signature']);

/** Why the form may not pass, or undefined. */
export async function postPolicyProblem(form: PostForm, bucket: string, signer: SignatureV4, accessKeyId: string, now = Date.now()): Promise<string | undefined> {
  const fields = new Map<string, string>();
  for (const [name, value] of form.fields) {
    const lower = name.toLowerCase();
    if (fields.has(lower)) return `the form names "${name}" twice`;
    fields.set(lower, value);
  }
  const policy = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  if (!policy || !signature) return 'the form carries no signed policy';
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') return 'unknown signing algorithm';
  const credential = (fields.get('x-amz-credential') ?? '').split('/');
  if (credential[0] !== accessKeyId) return 'unknown access key';
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(fields.get('x-amz-date') ?? '');
  if (!date) return 'malformed X-Amz-Date';
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));
  const expected = await signer.sign(policy, { signingDate, signingRegion: credential[2], signingService: credential[3] });
  if (!sameText(String(expected), signature)) return 'the policy signature does not match';
  let document: { expiration?: string; conditions?: Condition[] };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof document;
  } catch {
    return 'the policy is not base64 JSON';
  }
  const expiration = Date.parse(document.expiration ?? '');
  if (!Number.isFinite(expiration) || expiration < now) return 'the policy has expired';
  const values = new Map(fields);
  values.set('bucket', bucket);
  const covered = new Set<string>();
  let sizeChecked = false;
  for (const condition of document.conditions ?? []) {
    if (Array.isArray(condition)) {
      const [operator, first, second] = condition;
      if (String(operator).toLowerCase() === 'content-length-range') {
        if (form.fileSize < Number(first) || form.fileSize > Number(second)) return `the file's ${form.fileSize} bytes are outside the policy's range`;
        sizeChecked = true;
        continue;
      }
      const name = String(first).replace(/^\$/, '').toLowerCase();
      const actual = values.get(name) ?? '';
      if (String(operator).toLowerCase() === 'eq' ? actual !== String(second) : String(operator).toLowerCase() === 'starts-with' ? !actual.startsWith(String(second)) : true) {
        return `the field "${name}" does not meet the policy`;
      }
      covered.add(name);
    } else {
      for (const [name, expectedValue] of Object.entries(condition)) {
        if ((values.get(name.toLowerCase()) ?? '') !== expectedValue) return `the field "${name}" does not meet the policy`;
        covered.add(name.toLowerCase());
      }
    }
  }
  if (!sizeChecked) return 'the policy sets no content-length-range';
  for (const name of fields.keys()) {
    if (!EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name) && !['x-amz-algorithm', 'x-amz-credential', 'x-amz-date'].includes(name)) {
      return `the field "${name}" is not covered by the policy`;
    }
  }
  const key = fields.get('key') ?? '';
  const problem = keyProblem(key);
  if (problem || key.includes('${filename}')) return `the key is not valid (${problem ?? 'it asks for the file name'})`;
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
