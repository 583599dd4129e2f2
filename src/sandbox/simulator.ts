// startSimulator: one simulated Doris FE on loopback, its world kept in a data directory.
import { SimClock } from './clock.js';
import { Engine, type Session } from './engine.js';
import { coreStatements } from './exec/index.js';
import { runDynamicPartitionScheduler } from './exec/dynamic-partition.js';
import { installJobs, type JobsHandle } from './jobs/index.js';
import type { ResourceConfig } from './jobs/resources.js';
import { addUser } from './exec/users.js';
import { Persistence } from './persist.js';
import { listenOnPort, type PortChoice } from './ports.js';
import { listen, type WireServer } from './server.js';
import { splitStatements } from './sql/lexer.js';
import { allocId, emptyWorld } from './store.js';
import { parseSimVersion, versionText, type SimVersion } from './version.js';

/**
 * A simulated FE. Its port (ports.ts PortChoice): `port` 0 (default) for any free one, else that one, waited for
 * a bounded while if it is in use; `restartable` when it will be restarted on the port it gets, so
 * that is picked outside the ephemeral range; `retry`, how long a given port is waited for.
 */
export interface SimulatorOptions extends Pick<PortChoice, 'port' | 'restartable' | 'retry'> {
  /** `2.0`, `2.1`, `3.0`, `4.0`, `cloud`, or a build such as `2.1.7`. Default 2.1. */
  version?: string;
  /** Where the world is kept; a restart on the same directory comes back identical. */
  dataDir: string;
  host?: string;
  /** Password of `root` (created with the world). Default empty. */
  rootPassword?: string;
  /** Simulated seconds per real second. Default 1. */
  timeScale?: number;
  /** Bytes per simulated second one upload or download worker of a backend moves. */
  speedBytesPerSecond?: number;
  /** The resource model's settings (worker pools, per-tablet costs, shared or independent transfers). */
  resources?: Partial<ResourceConfig>;
  /** SQL script run as root once the world is new. */
  seedSql?: string;
  /** Alive backends for a new world. Default 3. */
  backends?: number;
  /** The real clock (epoch ms) the simulated one runs on; tests pass one to stand for time passing while it is down. */
  realClock?: () => number;
}

export interface Simulator {
  host: string;
  port: number;
  user: string;
  password: string;
  version: SimVersion;
  versionText: string;
  engine: Engine;
  /** Runs a script of statements as root (seeding, test setup), writing the world once. */
  execute(sql: string): Promise<void>;
  /** BACKUP/RESTORE jobs: the statement history (proves nothing was submitted twice). */
  jobs: JobsHandle;
  /** Drops every client connection (fault injection). */
  dropConnections(): void;
  stop(): Promise<void>;
}


export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const version = parseSimVersion(options.version ?? '2.1');
  let loaded = new Persistence(options.dataDir, () => { throw new Error('not ready'); }).load();
  if (loaded && loaded.version !== versionText(version) + (version.cloud ? '-cloud' : '')) {
    throw new Error(`data dir ${options.dataDir} holds a ${loaded.version} world; start it with that version`);
  }
  const isNew = !loaded;
  const world = loaded?.world ?? emptyWorld();
  const realNow = options.realClock ?? Date.now;
  const clock = new SimClock(loaded?.clock ?? { simMs: realNow(), scale: options.timeScale ?? 1, paused: false }, realNow);
  if (options.timeScale) clock.setScale(options.timeScale);
  const engine = new Engine(version, world, clock);
  engine.register(...coreStatements);
  engine.beforeStatement.push(runDynamicPartitionScheduler);
  const persistence = new Persistence(options.dataDir, () => ({ format: 1, version: versionText(version) + (version.cloud ? '-cloud' : ''), clock: clock.state(), world: engine.world }));
  engine.persistence = persistence;
  const password = options.rootPassword ?? '';
  const root = { id: 0, user: world.users.root!, db: undefined, vars: {} } as Session;
  if (isNew) {
    world.backends = { total: options.backends ?? 3, alive: options.backends ?? 3 };
    root.user = addUser(engine, 'root', password, ['ADMIN', 'NODE', 'GRANT']);
    world.databases.__internal_schema = { id: allocId(world), name: '__internal_schema', properties: {}, tables: {}, createTime: clock.now() };
  }
  loaded = undefined;
  const jobs = installJobs(engine, options.dataDir, options.speedBytesPerSecond, options.resources);

  const execute = async (sql: string): Promise<void> => {
    const session: Session = { id: 0, user: engine.world.users.root!, db: undefined, vars: {} };
    await persistence.batch(async () => {
      for (const statement of splitStatements(sql)) await engine.execute(statement, session);
    });
  };
  if (options.seedSql && isNew) await execute(options.seedSql);
  persistence.flush();

  const host = options.host ?? '127.0.0.1';
  let wire: WireServer;
  try {
    wire = await listenOnPort('the simulated FE', options, (port) => listen(engine, host, port));
  } catch (e) {
    jobs.stop();
    persistence.flush();
    throw e;
  }
  engine.wire = wire;
  return {
    host,
    port: wire.port,
    user: 'root',
    password,
    version,
    versionText: versionText(version),
    engine,
    execute,
    jobs,
    dropConnections: () => wire.dropConnections(),
    async stop() {
      jobs.stop();
      await wire.close();
      persistence.flush();
    },
  };
}
