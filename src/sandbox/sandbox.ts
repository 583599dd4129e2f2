// startSandbox: a source and a target simulator plus s3rver and Azurite, as `sandbox` and `demo` use them.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from './simulator.js';
import type { ResourceConfig } from './jobs/resources.js';
import type { PortRetry } from './ports.js';
import { startAzurite, startS3Server, type AzuriteServer, type S3Server } from './stack/object-servers.js';

export interface SandboxOptions {
  dataDir: string;
  sourceVersion?: string;
  targetVersion?: string;
  sourcePort?: number;
  targetPort?: number;
  seedSql?: string;
  timeScale?: number;
  speedBytesPerSecond?: number;
  resources?: Partial<ResourceConfig>;
  rootPassword?: string;
  /** Start Azurite too (heavier); default true. */
  azure?: boolean;
  /** How long a restart waits for a remembered port something else holds (tests shorten it). */
  portRetry?: PortRetry;
}

export interface Sandbox {
  source: Simulator;
  target: Simulator;
  s3: S3Server;
  azure: AzuriteServer | undefined;
  /** The one-line JSON description `doris-migrate sandbox` prints. */
  describe(): string;
  stop(): Promise<void>;
}

interface Ports {
  source?: number;
  target?: number;
  s3?: number;
  azure?: number;
}

/**
 * The ports a sandbox listened on, kept in its data directory: restarted on the same directory it
 * answers where its clients and plans expect it, as a restarted FE keeps its query_port. So every
 * server here is restartable: its first port is taken outside the ephemeral range (ports.ts).
 */
const portsFile = (dataDir: string): string => join(dataDir, 'ports.json');
function rememberedPorts(dataDir: string): Ports {
  const file = portsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Ports) : {};
}
function rememberPorts(dataDir: string, ports: Ports): void {
  const file = portsFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(ports)}\n`);
  renameSync(`${file}.tmp`, file);
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  mkdirSync(opts.dataDir, { recursive: true });
  const last = rememberedPorts(opts.dataDir);
  const common = { timeScale: opts.timeScale, speedBytesPerSecond: opts.speedBytesPerSecond, resources: opts.resources, rootPassword: opts.rootPassword ?? '' };
  const started: { stop(): Promise<void> }[] = [];
  try {
    // Every server here is restarted on the port it gets (ports.json).
    const restartable = { restartable: true, retry: opts.portRetry };
    const s3 = await startS3Server({ directory: join(opts.dataDir, 's3'), buckets: ['doris-migrate'], ...restartable, port: last.s3 });
    started.push(s3);
    const azure = opts.azure === false ? undefined : await startAzurite({ containers: ['doris-migrate'], ...restartable, port: last.azure });
    if (azure) started.push(azure);
    const fe = { ...common, ...restartable };
    const source = await startSimulator({ ...fe, version: opts.sourceVersion ?? '2.1', dataDir: join(opts.dataDir, 'source'), port: opts.sourcePort ?? last.source, seedSql: opts.seedSql });
    started.push(source);
    const target = await startSimulator({ ...fe, version: opts.targetVersion ?? '3.0', dataDir: join(opts.dataDir, 'target'), port: opts.targetPort ?? last.target });
    started.push(target);
    rememberPorts(opts.dataDir, { source: source.port, target: target.port, s3: Number(new URL(s3.endpoint).port), azure: azure ? Number(new URL(azure.endpoint).port) : last.azure });
    const endpoint = (sim: Simulator) => ({ host: sim.host, port: sim.port, user: sim.user, password: sim.password, version: sim.versionText });
    return {
      source,
      target,
      s3,
      azure,
      describe: () =>
        JSON.stringify({
          source: endpoint(source),
          target: endpoint(target),
          s3: { endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, region: s3.region },
          azure: azure ? { endpoint: azure.endpoint, account: azure.account, accountKey: azure.accountKey, container: azure.container } : null,
        }),
      async stop() {
        for (const s of started.reverse()) await s.stop();
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw e;
  }
}
