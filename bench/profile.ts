/**
 * Reading a DevTools CPU profile (`Profiler.stop`'s answer): where the page's main thread spent its time, as the
 * functions with the most self time. Only the bench uses it (`BENCH_PROFILE`).
 */

/** The parts of a DevTools `Profiler.Profile` read here. */
export interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/**
 * The `count` functions with the most self time in `profile`, one per line: milliseconds, share of the sampled time,
 * name and file:line (idle and the garbage collector included, as DevTools names them).
 */
export function topSelfTime(profile: CpuProfile, count: number): string {
  return selfTimeBy(profile, count, (frame) => {
    const file = frame.url.split('/').pop()?.split('?')[0] ?? '';
    return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
  });
}

/**
 * Self time grouped by where the code comes from: each npm package (`node_modules/<name>`), our own folders (`server`,
 * `src`, ...), Node's internals and V8's pseudo-frames (`(garbage collector)`, `(program)`, `(idle)`), the `count`
 * largest, one per line. For a server-side profile, where one request runs through many small functions of a library.
 */
export function selfTimeByPackage(profile: CpuProfile, count: number): string {
  return selfTimeBy(profile, count, (frame) => sourceGroup(frame.url, frame.functionName));
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** Self time summed by `keyOf` each sample's frame, the `count` largest, one line each: ms, share, key. */
function selfTimeBy(profile: CpuProfile, count: number, keyOf: (frame: CallFrame) => string): string {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfMs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  // Each sample's time is the delta that follows it (DevTools' own attribution).
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const frame = frames.get(samples[i]!);
    if (!frame) continue;
    const key = keyOf(frame);
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    total += ms;
  }
  return [...selfMs].sort(([, a], [, b]) => b - a).slice(0, count)
    .map(([key, ms]) => `    ${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / (total || 1)).toFixed(1).padStart(5)} %  ${key}`)
    .join('\n');
}

/** The group a frame's code belongs to (see `selfTimeByPackage`). */
function sourceGroup(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [scopeOrName, name] = url.slice(inModules + 'node_modules/'.length).split('/');
    return scopeOrName!.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName!;
  }
  const path = url.replace(/^file:\/\//, '');
  const root = `${process.cwd()}/`;
  return path.startsWith(root) ? path.slice(root.length).split('/').slice(0, 2).join('/') : path;
}
