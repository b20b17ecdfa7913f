/**
 * A throwaway single-node Ceph cluster (one monitor, one memstore OSD, one RADOS Gateway) run as plain processes in a
 * temporary folder, bound to 127.0.0.1. It is a production S3 implementation: it verifies Content-MD5 and implements
 * ListParts, AbortMultipartUpload, versioning and presigned SigV4 URLs, so the end-to-end tests prove S3 compatibility
 * against it. Needs Debian's ceph-mon, ceph-osd, radosgw and ceph-common (scripts/install-system-deps.sh).
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { freePort, run, startDaemon, waitFor, type Daemon } from './processes.ts';

/** A running Ceph RGW and how to reach it. */
export interface CephRgw {
  /** S3 settings of the gateway (no bucket chosen yet: `bucket` is empty). */
  readonly s3: S3Settings;
  /** The folder holding configuration, keyrings and logs. */
  readonly dir: string;
  /** Stops the RADOS Gateway only (the storage's S3 endpoint goes away; data stays). */
  stopGateway(): Promise<void>;
  /** Starts the gateway again after {@link CephRgw.stopGateway}; resolves once it answers. */
  startGateway(): Promise<void>;
  /** Stops the daemons and removes the folder. */
  stop(): Promise<void>;
}

/** Options of {@link startCephRgw}. */
export interface CephRgwOptions {
  /** Bytes of memory the OSD may hold objects in. Default 2 GiB. */
  readonly memstoreBytes?: number | undefined;
  /** Keep the folder (with logs) after stop, for debugging. Default false. */
  readonly keepDir?: boolean;
}

const REQUIRED_BINARIES = ['/usr/bin/ceph-mon', '/usr/bin/ceph-osd', '/usr/bin/radosgw', '/usr/bin/radosgw-admin', '/usr/bin/ceph'];

/** True when the Ceph programs this launcher needs are installed. */
export function cephInstalled(): boolean {
  return REQUIRED_BINARIES.every((path) => existsSync(path));
}

/** Bootstraps and starts the cluster; resolves once a SigV4-signed request succeeds. */
export async function startCephRgw(options: CephRgwOptions = {}): Promise<CephRgw> {
  if (!cephInstalled()) {
    throw new Error(`Ceph is not installed (need ${REQUIRED_BINARIES.join(', ')}): run scripts/install-system-deps.sh`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'dropoff-ceph-'));
  const daemons: Daemon[] = [];
  const stop = async () => {
    for (const daemon of daemons.reverse()) await daemon.stop();
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    const s3 = await bootstrap(dir, daemons, options.memstoreBytes ?? 2 * 1024 ** 3);
    const gatewayIndex = daemons.findIndex((d) => d.name === 'radosgw');
    const conf = join(dir, 'ceph.conf');
    return {
      s3, dir, stop,
      stopGateway: () => daemons[gatewayIndex]!.stop(),
      startGateway: async () => {
        daemons[gatewayIndex] = startDaemon('radosgw', 'radosgw', ['-c', conf, '-f', '-n', 'client.rgw.a'], join(dir, 'log', 'rgw.out'));
        const client = createS3Client(s3);
        await waitFor('radosgw to answer again', () => client.send(new ListBucketsCommand({})).then(() => true), 60_000, 200);
        client.destroy();
      },
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function bootstrap(dir: string, daemons: Daemon[], memstoreBytes: number): Promise<S3Settings> {
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'ceph.conf');
  const fsid = randomUUID();
  for (const sub of ['run', 'log', 'crash', 'mon/ceph-a', 'osd/ceph-0']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(conf, cephConf({ dir, fsid, monPort, rgwPort, memstoreBytes }));
  const ceph = (...args: string[]) => run('ceph', ['-c', conf, '--connect-timeout', '5', ...args]);

  await run('ceph-authtool', ['--create-keyring', join(dir, 'mon.keyring'), '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
  await run('ceph-authtool', ['--create-keyring', join(dir, 'admin.keyring'), '--gen-key', '-n', 'client.admin',
    '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow *']);
  await run('ceph-authtool', [join(dir, 'mon.keyring'), '--import-keyring', join(dir, 'admin.keyring')]);
  await run('monmaptool', ['--create', '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, '--fsid', fsid, join(dir, 'monmap')]);
  await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', join(dir, 'mon.keyring')]);
  daemons.push(startDaemon('ceph-mon', 'ceph-mon', ['-c', conf, '-f', '-i', 'a'], join(dir, 'log', 'mon.out')));
  await waitFor('the Ceph monitor', () => ceph('status', '--format', 'json').then(() => true), 30_000, 200);

  const osdUuid = randomUUID();
  const osdSecret = (await run('ceph-authtool', ['--gen-print-key'])).trim();
  const osdId = (await run('ceph', ['-c', conf, '--connect-timeout', '5', 'osd', 'new', osdUuid, '-i', '-'],
    { input: JSON.stringify({ cephx_secret: osdSecret }) })).trim();
  await writeFile(join(dir, 'osd', `ceph-${osdId}`, 'keyring'), `[osd.${osdId}]\n\tkey = ${osdSecret}\n`);
  await run('ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid], { timeoutMs: 60_000 });
  daemons.push(startDaemon('ceph-osd', 'ceph-osd', ['-c', conf, '-f', '-i', osdId], join(dir, 'log', 'osd.out')));

  await ceph('auth', 'get-or-create', 'client.rgw.a', 'mon', 'allow rw', 'osd', 'allow rwx', '-o', join(dir, 'rgw.keyring'));
  daemons.push(startDaemon('radosgw', 'radosgw', ['-c', conf, '-f', '-n', 'client.rgw.a'], join(dir, 'log', 'rgw.out')));

  const accessKeyId = `AK${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('hex');
  await waitFor('radosgw-admin user create', () => run('radosgw-admin', ['-c', conf, 'user', 'create', '--uid', 'dropoff',
    '--display-name', 'dropoff tests', '--access-key', accessKeyId, '--secret', secretAccessKey]).then(() => true), 60_000, 250);

  const s3: S3Settings = {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    region: 'us-east-1',
    bucket: '',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
  };
  const client = createS3Client(s3);
  await waitFor('a signed request to radosgw', () => client.send(new ListBucketsCommand({})).then(() => true), 60_000, 200);
  client.destroy();
  return s3;
}

function cephConf(c: { dir: string; fsid: string; monPort: number; rgwPort: number; memstoreBytes: number }): string {
  return `[global]
fsid = ${c.fsid}
mon host = [v2:127.0.0.1:${c.monPort}]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
run dir = ${c.dir}/run
admin socket = ${c.dir}/run/$cluster-$name.asok
log file = ${c.dir}/log/$cluster-$name.log
crash dir = ${c.dir}/crash
mon data = ${c.dir}/mon/$cluster-$id
osd data = ${c.dir}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = ${c.memstoreBytes}
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
paxos propose interval = 0.05
osd crush chooseleaf type = 0
[client]
keyring = ${c.dir}/admin.keyring
[client.rgw.a]
keyring = ${c.dir}/rgw.keyring
rgw frontends = beast endpoint=127.0.0.1:${c.rgwPort} tcp_nodelay=1
rgw gc obj min wait = 60
rgw gc processor period = 30
rgw dns name = 127.0.0.1
`;
}
