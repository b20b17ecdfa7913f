/**
 * CPU time of processes, read from /proc (Linux): the browser (every chromium process), the storage daemons, and
 * this process (the reference server, the proxy and, where used, s3rver).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) of one process, 0 when it is gone. */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The parent PID of `pid`, 0 when it is gone. */
function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** True when `pid` descends from this process (so another user's browser or Ceph on the machine is not counted). */
function isOurs(pid: number): boolean {
  for (let p = parentOf(pid), hops = 0; p > 1 && hops < 32; p = parentOf(p), hops++) if (p === process.pid) return true;
  return false;
}

/** PIDs whose command name is one of `names`, started by this process. */
function pidsNamed(names: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim()) && isOurs(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** A snapshot of CPU seconds by group. */
export interface CpuSample {
  readonly browser: number;
  readonly storage: number;
  readonly harness: number;
}

/** Samples CPU seconds of the browser, the storage daemons (radosgw, ceph-osd, ceph-mon) and this process. */
export function sampleCpu(): CpuSample {
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + processCpu(pid), 0);
  const self = process.cpuUsage();
  return {
    browser: sum(pidsNamed(['chromium', 'chrome', 'headless_shell'])),
    storage: sum(pidsNamed(['radosgw', 'ceph-osd', 'ceph-mon'])),
    harness: (self.user + self.system) / 1e6,
  };
}

/** CPU seconds spent between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return { browser: after.browser - before.browser, storage: after.storage - before.storage, harness: after.harness - before.harness };
}

/**
 * Gives every thread of our Chromium processes the scheduling niceness `niceness` (Linux niceness is per thread; the
 * threads and processes they start later inherit it). Returns how many threads were changed.
 */
export function reniceBrowser(niceness: number): number {
  let changed = 0;
  for (const pid of pidsNamed(['chromium', 'chrome', 'headless_shell'])) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        setPriority(Number(tid), niceness);
        changed++;
      } catch {
        // Gone, or not allowed.
      }
    }
  }
  return changed;
}
