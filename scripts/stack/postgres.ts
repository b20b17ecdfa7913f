/**
 * A throwaway PostgreSQL server (Debian's postgresql package) in a temporary folder, on 127.0.0.1 and a free port,
 * for the tests of the records against a real PostgreSQL. Run as root, it runs the server as the `postgres` user.
 */
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, startDaemon, waitFor } from './processes.ts';

/** A running PostgreSQL. */
export interface RunningPostgres {
  /** Connection URL (trust authentication, database `postgres`). */
  readonly url: string;
  /** Stops the server (fast shutdown: sessions are cut), waits `downMs`, starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The folder of Debian's PostgreSQL binaries, or undefined when the package is not installed. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  const bin = version && join(root, version, 'bin');
  return bin && existsSync(join(bin, 'initdb')) ? bin : undefined;
}

/** Initialises and starts a cluster; resolves once it accepts connections. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql): run scripts/install-system-deps.sh');
  const dir = await mkdtemp(join(tmpdir(), 'dropoff-postgres-'));
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
  if (asRoot) {
    const { uid, gid } = await userIds('postgres');
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  await run(...as(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--no-sync']), { timeoutMs: 60_000 });
  const port = await freePort();
  const [command, args] = as(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const start = () => startDaemon('postgres', command, args, join(tmpdir(), `dropoff-postgres-${port}.log`));
  let daemon = start();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const ready = () => waitFor('PostgreSQL', async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.end();
    return true;
  }, 30_000, 200);
  await ready();
  return {
    url,
    restart: async (downMs = 0) => {
      const exited = new Promise((resolve) => daemon.child.once('exit', resolve));
      // SIGINT is PostgreSQL's fast shutdown; the whole process group gets it (runuser and the postmaster). Should it
      // not be down in 15 s, SIGQUIT (immediate shutdown), then SIGKILL: a restart must never hang a test run.
      const group = -daemon.child.pid!;
      const signal = (name: NodeJS.Signals) => { try { process.kill(group, name); } catch { /* already gone */ } };
      signal('SIGINT');
      const quit = setTimeout(() => signal('SIGQUIT'), 15_000);
      const kill = setTimeout(() => signal('SIGKILL'), 30_000);
      await exited;
      clearTimeout(quit);
      clearTimeout(kill);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      daemon = start();
      await ready();
    },
    stop: async () => {
      await daemon.stop(5000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
