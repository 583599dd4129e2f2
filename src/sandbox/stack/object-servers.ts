// Loopback object stores for tests, the sandbox and the demo: s3rver (S3-compatible) and Azurite
// (Azure Blob). Both bind 127.0.0.1 on a free port and stop without leaving a process behind.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { addressInUse, listenOnPort, type PortChoice } from '../ports.js';

export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  stop(): Promise<void>;
}

export interface AzuriteServer {
  endpoint: string;
  account: string;
  accountKey: string;
  container: string;
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const require = createRequire(import.meta.url);

/** Where an object server listens: `port` (a restart's) is waited for while in use; see ports.ts. */
export type ObjectServerPort = Pick<PortChoice, 'port' | 'restartable' | 'retry'>;

export async function startS3Server(opts: { directory?: string; buckets?: string[] } & ObjectServerPort = {}): Promise<S3Server> {
  const { default: S3rver } = await import('s3rver');
  const ownDir = opts.directory ? undefined : mkdtempSync(join(tmpdir(), 's3rver-'));
  const buckets = opts.buckets ?? ['doris-migrate'];
  const s3rver = new S3rver({
    silent: true,
    directory: opts.directory ?? ownDir!,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  // s3rver's own run() lets a port in use escape as an uncaught exception; its documented
  // callback() behind our own HTTP server reports it to the caller, who may wait for the port.
  const listenOnce = (port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer(s3rver.callback());
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  let server: Server;
  try {
    await s3rver.configureBuckets();
    server = await listenOnPort('s3rver', opts, listenOnce);
  } catch (e) {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    bucket: buckets[0]!,
    async stop() {
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

export async function startAzurite(opts: { containers?: string[] } & ObjectServerPort = {}): Promise<AzuriteServer> {
  return listenOnPort('Azurite', opts, (port) => startAzuriteOnce(port, opts.containers ?? ['doris-migrate']));
}

async function startAzuriteOnce(blobPort: number, containers: string[]): Promise<AzuriteServer> {
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', String(blobPort), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'],
    // Run inside a scratch directory so nothing Azurite writes lands in the caller's tree.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: workDir },
  );
  // If this process exits without calling stop() (a crash, process.exit), take Azurite along:
  // otherwise it would be re-parented and keep its port open.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  // A failed start must not leave the child or its scratch directory behind.
  const abandon = async (e: unknown): Promise<never> => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  };
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listens on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Its port taken is the one failure a caller may wait out (ports.ts).
      reject(/EADDRINUSE/.test(out) ? addressInUse(`Azurite: port ${blobPort} in use`) : new Error(`Azurite exited with ${code}: ${out}`));
    });
  }).catch(abandon);
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  await Promise.all(containers.map((name) => service.getContainerClient(name).createIfNotExists())).catch(abandon);
  return {
    endpoint,
    account: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    container: containers[0]!,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
