// `doris-migrate plan`: read the source, check the target and the repository, write a plan.
// Every question is also a flag; without a terminal (or with --no-interactive) nothing is asked
// and a missing answer is exit 2 naming the flag.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Catalog } from '../../catalog/model.js';
import type { DorisClient } from '../../doris/client.js';
import type { DorisVersion } from '../../catalog/model.js';
import { versionString } from '../../doris/capabilities.js';
import { databaseNameNeed, databaseNameRule } from '../../doris/name-rules.js';
import { ExitCode, refusedError, usageError } from '../../errors.js';
import type { ConflictPolicy, Plan, PlanOptions, Replication } from '../../plan/schema.js';
import { checkClusterPair, checkReplicas, tooManyReplicas } from '../../plan/early-checks.js';
import { collect, keyValues, list, parseClusterUrl, parseSize, positiveInt, type ClusterUrl } from '../flags.js';
import { writeLine, type CliIO } from '../io.js';
import { readProgress } from '../progress-lines.js';
import { writePlanFile } from '../plan-file.js';
import { archiveState, refuseOverwritingState } from '../plan-state-guard.js';
import { inquirerAsker, type Asker } from '../wizard/asker.js';
import { openCluster } from '../wizard/cluster.js';
import { renderCommandLine } from '../wizard/command-line.js';
import { chooseRepository, type ChosenRepository } from '../wizard/repository.js';
import { refuseFlagCredentials } from '../../storage/location.js';
import { refuseUnreachable } from '../refuse-unreachable.js';
import type { CommandRegistrar } from './index.js';
import { CI_ENV, helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

export interface PlanFlags {
  source?: string;
  target?: string;
  repository?: string;
  repositoryName?: string;
  s3Provider?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3PathStyle?: boolean;
  azureEndpoint?: string;
  hdfsUser?: string;
  hdfsProperty?: string[];
  webhdfs?: string;
  databases?: string;
  tables?: string;
  exclude?: string;
  rename?: string[];
  replicationNum?: string;
  replicationAllocation?: string;
  reserveReplica?: boolean;
  onConflict?: string;
  labelPrefix?: string;
  concurrency?: string;
  transferWorkers?: string;
  batchSize?: string;
  jobTimeout?: string;
  name?: string;
  out?: string;
  yes?: boolean;
  /** Replace a plan whose migration has state, archiving that state. */
  force?: boolean;
  interactive?: boolean;
  checkTempPartitions?: boolean;
  tls?: boolean;
}

export interface PlanDeps {
  now: () => Date;
  /** Answers questions; tests may replace it. */
  ask?: Asker;
}

export type { Asker } from '../wizard/asker.js';

const CONFLICTS: ConflictPolicy[] = ['refuse', 'skip', 'alias', 'atomic-replace'];
const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const REPLICATION_HINT = 'replicas per tablet on the target; or --replication-allocation, --reserve-replica';

export async function runPlan(flags: PlanFlags, io: CliIO, deps: PlanDeps): Promise<number> {
  const interactive = io.interactive && flags.interactive !== false;
  const asker = interactive ? (deps.ask ?? (await inquirerAsker())) : undefined;
  const missing = (flag: string, what: string): never => {
    throw usageError('missing-flag', `missing ${flag} (${what}): pass it${interactive ? '' : ', or run in a terminal to be asked'}`);
  };

  // Validate everything that needs no server first.
  const now = deps.now();
  const replication: Replication | undefined = flags.reserveReplica
    ? { reserve: true }
    : flags.replicationAllocation
      ? { allocation: flags.replicationAllocation }
      : flags.replicationNum !== undefined
        ? { num: positiveInt(flags.replicationNum, '--replication-num')! }
        : undefined;
  if (flags.onConflict && !CONFLICTS.includes(flags.onConflict as ConflictPolicy)) throw usageError('bad-conflict', `--on-conflict must be one of ${CONFLICTS.join(', ')}, got '${flags.onConflict}'`);
  const renames = keyValues(flags.rename, '--rename');
  const concurrency = positiveInt(flags.concurrency, '--concurrency') ?? 2;
  const transferWorkers = positiveInt(flags.transferWorkers, '--transfer-workers');
  const batchBytes = parseSize(flags.batchSize, '--batch-size') ?? 1024 ** 4;
  const jobTimeoutSeconds = positiveInt(flags.jobTimeout, '--job-timeout') ?? 86_400;
  if (jobTimeoutSeconds < 600) throw usageError('bad-timeout', '--job-timeout must be at least 600 seconds (Doris refuses shorter jobs)');
  const name = flags.name ?? `migration-${stamp(now)}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw usageError('bad-name', `--name '${name}' may use letters, digits, '.', '_' and '-' only`);
  if (flags.labelPrefix !== undefined && !/^[A-Za-z0-9_-]{1,24}$/.test(flags.labelPrefix)) throw usageError('bad-label-prefix', `--label-prefix '${flags.labelPrefix}' must be 1-24 letters, digits, '_' or '-'`);
  // Doris's rule for repository names (FeNameFormat's common name); refused here, before any cluster is reached.
  if (flags.repositoryName !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(flags.repositoryName)) throw usageError('bad-repository-name', `--repository-name '${flags.repositoryName}' must start with a letter and use up to 64 letters, digits, '_' or '-' (Doris's rule for repository names)`);
  const out = resolve(io.cwd, flags.out ?? join('plans', `${name}.yaml`));
  refuseOverwritingState(out, flags.force);
  const hdfsProperties = keyValues(flags.hdfsProperty, '--hdfs-property');

  if (flags.source) parseClusterUrl(flags.source, '--source');
  if (flags.target) parseClusterUrl(flags.target, '--target');
  refuseFlagCredentials(flags.repository, flags);
  if (!asker) {
    // Without prompts, name every missing answer before touching any cluster.
    if (!flags.source) missing('--source', 'source cluster (mysql://user@host:port)');
    if (!flags.target) missing('--target', 'target cluster (mysql://user@host:port)');
    if (!flags.repository) missing('--repository', 'repository location (s3://bucket/prefix, azure://account/container/prefix, hdfs://namenode:port/path)');
    if (!replication) missing('--replication-num', REPLICATION_HINT);
  }
  const clients: DorisClient[] = [];
  try {
    // Each answer is checked where it is given: both clusters are reached (and their version pair
    // judged), the repository probed and the replicas weighed before the catalog is read.
    const tls = flags.tls ?? false;
    const source = await openCluster({ which: 'source', url: flags.source, tls, io, asker });
    clients.push(source.client);
    const target = await openCluster({ which: 'target', url: flags.target, tls, io, asker });
    clients.push(target.client);
    checkClusterPair(source.facts, source.url, target.facts, target.url);

    const repository = await chooseRepository({
      location: flags.repository,
      name: flags.repositoryName ?? 'doris_migrate',
      flags: {
        ...(flags.s3Provider ? { s3Provider: flags.s3Provider } : {}),
        ...(flags.s3Endpoint ? { s3Endpoint: flags.s3Endpoint } : {}),
        ...(flags.s3Region ? { s3Region: flags.s3Region } : {}),
        ...(flags.s3PathStyle !== undefined ? { s3PathStyle: flags.s3PathStyle } : {}),
        ...(flags.azureEndpoint ? { azureEndpoint: flags.azureEndpoint } : {}),
        ...(flags.hdfsUser ? { hdfsUser: flags.hdfsUser } : {}),
        ...(flags.webhdfs ? { webhdfs: flags.webhdfs } : {}),
        ...(Object.keys(hdfsProperties).length ? { hdfsProperties } : {}),
      },
      clusters: [
        { which: 'source', client: source.client, version: source.facts.version },
        { which: 'target', client: target.client, version: target.facts.version },
      ],
      io,
      env: io.env,
      asker,
    });

    const alive = target.facts.aliveBackends;
    let chosenReplication = replication;
    if (chosenReplication) checkReplicas(chosenReplication, alive);
    else if (asker) {
      const initial = String(Math.min(3, Math.max(1, alive)));
      const valid = (v: string): true | string => (!/^[1-9]\d*$/.test(v) ? 'a positive integer' : (tooManyReplicas(Number(v), alive) ?? true));
      chosenReplication = { num: Number(await asker.input(`replicas per tablet on the target (${alive} backends alive):`, valid, initial)) };
    } else return missing('--replication-num', REPLICATION_HINT);

    writeLine(io.stderr, `Reading the source catalog at ${source.client.address}`);
    const { readCatalog } = await import('../../catalog/reader.js');
    // Temporary partitions make BACKUP refuse a table. 2.1.7+/3.0.2+ find them from partition
    // counts; older lines need one query per table, skippable on huge catalogs.
    const catalog: Catalog = await readCatalog(source.client, { onEvent: readProgress(io, 'source'), probeTemporaryPartitions: flags.checkTempPartitions !== false });
    let databases = list(flags.databases);
    if (!databases && asker) {
      const { formatBytes } = await import('../../plan/render.js');
      databases = await asker.checkbox(
        'databases to migrate:',
        catalog.databases.map((d) => ({ name: `${d.name}  (${count(d.tables.length, 'table')}, ${formatBytes(d.tables.reduce((s, t) => s + t.dataBytes, 0))})`, value: d.name, checked: true })),
      );
    }

    const mapping = Object.fromEntries(catalog.databases.filter((d) => !databases || databases.includes(d.name)).map((d) => [d.name, renames[d.name] ?? d.name]));
    refuseUncreatableDatabases(mapping, target.facts.version);
    writeLine(io.stderr, `Checking the target at ${target.client.address}`);
    const { readTargetFacts } = await import('../../catalog/preflight.js');
    const targetFacts = await readTargetFacts(target.client, catalog, mapping, source.client);

    let conflicts = flags.onConflict as ConflictPolicy | undefined;
    if (!conflicts && asker && targetFacts.existingTables.length) {
      writeLine(io.stderr, `${count(targetFacts.existingTables.length, 'table')} already exist on the target: ${targetFacts.existingTables.slice(0, 5).map((t) => `${t.database}.${t.name}${t.difference ? ` (${t.difference})` : ''}`).join('; ')}`);
      conflicts = await asker.select('what to do with them:', [
        { name: 'refuse (change nothing; stop here)', value: 'refuse' },
        { name: 'skip them', value: 'skip' },
        { name: 'restore under <name>_migrated', value: 'alias' },
        { name: 'replace them atomically (Doris atomic_restore)', value: 'atomic-replace' },
      ] as const);
    }

    const { defaultLabelPrefix, planIdOf } = await import('../../plan/labels.js');
    const planId = planIdOf({ name, now: now.toISOString(), source: source.url, target: target.url, repository: { name: repository.name, location: repository.settings.location } });
    const options: PlanOptions = {
      labelPrefix: flags.labelPrefix ?? defaultLabelPrefix(now.toISOString(), planId),
      concurrency: { source: concurrency, target: concurrency },
      batchBytes,
      jobTimeoutSeconds,
      replication: chosenReplication,
      conflicts: conflicts ?? 'refuse',
      maxAttempts: 3,
      ...(transferWorkers !== undefined ? { transferWorkers } : {}),
    };
    const { buildPlan } = await import('../../plan/build-plan.js');
    const ref = (u: ClusterUrl, passwordEnv: string) => ({ host: u.host, port: u.port, user: u.user, passwordEnv, tls });
    const { withJobOrder } = await import('../../run/job-order.js');
    const plan: Plan = withJobOrder(buildPlan({
      name,
      now: now.toISOString(),
      source: { catalog, ref: ref(source.url, source.passwordEnv) },
      target: { facts: targetFacts, ref: ref(target.url, target.passwordEnv) },
      repository: { name: repository.name, settings: repository.settings },
      options,
      selection: { ...(databases ? { databases } : {}), ...(flags.tables ? { tables: list(flags.tables)! } : {}), ...(flags.exclude ? { exclude: list(flags.exclude)! } : {}), renames },
      existingLabels: repository.preflight.snapshots.map((s) => s.label),
    }));
    const { labelsInJobHistory } = await import('../../run/label-history.js');
    const taken = await labelsInJobHistory(plan, { source: source.client, target: target.client });
    if (taken.length) throw refusedError('label-collision', `the clusters already ran jobs with this plan's labels (${taken.slice(0, 3).join('; ')}${taken.length > 3 ? '; ...' : ''}): another migration uses the label prefix ${options.labelPrefix}; choose another --label-prefix or leave it out (the default is unique to the plan)`);
    const { renderText } = await import('../../plan/render.js');
    io.stdout.write(renderText(plan));
    if (asker && !flags.yes && !(await asker.confirm(`write the plan to ${out}?`))) {
      writeLine(io.stderr, 'Nothing written.');
      return ExitCode.Ok;
    }
    if (flags.force) for (const archived of archiveState(out, now)) writeLine(io.stderr, `archived the earlier state as ${archived}`);
    writePlanFile(out, plan);
    writeLine(io.stdout, `Wrote ${out}. Review it with: doris-migrate review ${out} --format markdown`);
    if (asker) {
      // What was answered here, as flags: the same plan again from a script.
      const line = equivalentCommand(flags, { source: source.url, target: target.url, repository, databases, replication: chosenReplication, conflicts, name, labelPrefix: flags.labelPrefix });
      writeLine(io.stdout, `\nThe same plan without questions:\n${line}`);
      if (repository.typedSecrets.length) writeLine(io.stdout, `(export ${repository.typedSecrets.join(' and ')} before running it or apply)`);
    }
    return ExitCode.Ok;
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
  }
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

interface Answers {
  source: ClusterUrl;
  target: ClusterUrl;
  repository: ChosenRepository;
  databases: string[] | undefined;
  replication: Replication;
  conflicts: ConflictPolicy | undefined;
  name: string;
  /** Only a prefix given by flag: the default one is unique to each plan made. */
  labelPrefix: string | undefined;
}

/** A database renamed to a name the target's CREATE DATABASE refuses in any session fails only in apply: refused here. */
function refuseUncreatableDatabases(mapping: Record<string, string>, version: DorisVersion): void {
  for (const [from, to] of Object.entries(mapping)) {
    if (to === from || databaseNameNeed(version, to) !== 'impossible') continue;
    throw usageError('bad-rename', `--rename ${from}=${to}: Doris ${versionString(version)} cannot create a database named '${to}'; use ${databaseNameRule}`);
  }
}

/** The flags that make this plan again with --no-interactive: every answer, and every flag given. */
function equivalentCommand(flags: PlanFlags, a: Answers): string {
  const url = (u: ClusterUrl) => `mysql://${u.user}@${u.host}:${u.port}`;
  const f: ([string] | [string, string])[] = [['--no-interactive'], ['--source', url(a.source)], ['--target', url(a.target)], ['--repository', a.repository.settings.location]];
  const r = a.repository.flags;
  if (a.repository.name !== 'doris_migrate') f.push(['--repository-name', a.repository.name]);
  if (r.s3Provider) f.push(['--s3-provider', r.s3Provider]);
  if (r.s3Endpoint) f.push(['--s3-endpoint', r.s3Endpoint]);
  if (r.s3Region) f.push(['--s3-region', r.s3Region]);
  if (r.s3PathStyle !== undefined) f.push([r.s3PathStyle ? '--s3-path-style' : '--no-s3-path-style']);
  if (r.azureEndpoint) f.push(['--azure-endpoint', r.azureEndpoint]);
  if (r.hdfsUser) f.push(['--hdfs-user', r.hdfsUser]);
  for (const [k, v] of Object.entries(r.hdfsProperties ?? {})) f.push(['--hdfs-property', `${k}=${v}`]);
  if (r.webhdfs) f.push(['--webhdfs', r.webhdfs]);
  if (a.databases) f.push(['--databases', a.databases.join(',')]);
  if (flags.tables) f.push(['--tables', flags.tables]);
  if (flags.exclude) f.push(['--exclude', flags.exclude]);
  for (const rename of flags.rename ?? []) f.push(['--rename', rename]);
  const rep = a.replication;
  f.push('num' in rep ? ['--replication-num', String(rep.num)] : 'allocation' in rep ? ['--replication-allocation', rep.allocation] : ['--reserve-replica']);
  if (a.conflicts) f.push(['--on-conflict', a.conflicts]);
  if (a.labelPrefix) f.push(['--label-prefix', a.labelPrefix]);
  if (flags.concurrency && flags.concurrency !== '2') f.push(['--concurrency', flags.concurrency]);
  if (flags.transferWorkers) f.push(['--transfer-workers', flags.transferWorkers]);
  if (flags.batchSize && flags.batchSize !== '1TiB') f.push(['--batch-size', flags.batchSize]);
  if (flags.jobTimeout && flags.jobTimeout !== '86400') f.push(['--job-timeout', flags.jobTimeout]);
  if (flags.checkTempPartitions === false) f.push(['--no-check-temp-partitions']);
  if (flags.tls) f.push(['--tls']);
  f.push(['--name', a.name]);
  if (flags.out) f.push(['--out', flags.out]);
  const env = ['DORIS_SOURCE_PASSWORD', 'DORIS_TARGET_PASSWORD'];
  const s = a.repository.settings;
  if (s.backend === 's3') env.push(s.accessKeyEnv, s.secretKeyEnv);
  if (s.backend === 'azure') env.push(s.accountKeyEnv);
  return renderCommandLine({ flags: f, env });
}

export const registerPlan: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('plan')
    .description('read the source catalog, check the target and the repository, and write a migration plan')
    .addHelpText('after', helpAfter({
      examples: [
        'doris-migrate plan                  # in a terminal: asks what is missing, checking each answer',
        'doris-migrate plan --no-interactive --source mysql://root@old-fe:9030 --target mysql://root@new-fe:9030 --repository s3://backups/doris --s3-provider minio --s3-endpoint http://minio:9000 --replication-num 3 --name q4-move',
      ],
      env: [...PASSWORD_ENV, ...REPOSITORY_ENV, CI_ENV],
      exits: ['0  plan written (or not, when you declined)', '2  bad or missing flag; nothing asked without a terminal', '3  cancelled at a prompt', '4  refused: a cluster, the version pair, the backends, the repository or its name'],
    }))
    .option('--source <url>', 'source cluster, mysql://user@host:port (password from DORIS_SOURCE_PASSWORD)')
    .option('--target <url>', 'target cluster, mysql://user@host:port (password from DORIS_TARGET_PASSWORD)')
    .option('--repository <location>', 's3://bucket/prefix | azure://account/container/prefix | hdfs://namenode:port/path')
    .option('--repository-name <name>', 'repository name on both clusters', 'doris_migrate')
    .option('--s3-provider <p>', 'aws | minio | oss | cos | gcs | other (presets for endpoint, region, addressing)')
    .option('--s3-endpoint <url>', 'S3 endpoint URL')
    .option('--s3-region <region>', 'S3 region')
    .option('--s3-path-style', 'path-style addressing (MinIO and most self-hosted servers)')
    .option('--no-s3-path-style', 'virtual-hosted addressing (bucket in the host name)')
    .option('--azure-endpoint <url>', 'Azure Blob endpoint (Azurite, sovereign clouds); 4.0+ clusters only')
    .option('--hdfs-user <user>', 'hadoop.username for an HDFS repository')
    .option('--hdfs-property <key=value>', 'extra HDFS property (Kerberos, HA); repeatable', collect)
    .option('--webhdfs <url>', 'WebHDFS URL to check an HDFS repository from here')
    .option('--databases <a,b>', 'source databases to migrate (default: all)')
    .option('--tables <db.t,..>', 'only these tables')
    .option('--exclude <db|db.t,..>', 'leave these out')
    .option('--rename <src=dst>', 'restore a database under another name; repeatable', collect)
    .option('--replication-num <n>', 'replicas per tablet on the target')
    .option('--replication-allocation <alloc>', 'e.g. "tag.location.default: 3"')
    .option('--reserve-replica', "keep each table's source allocation")
    .option('--on-conflict <policy>', 'tables that exist on the target: refuse | skip | alias | atomic-replace', undefined)
    .option('--label-prefix <p>', "snapshot label prefix (default dm<date>_<plan id>, unique to this plan)")
    .option('--concurrency <n>', 'BACKUP/RESTORE jobs at a time per cluster', '2')
    .option('--transfer-workers <n>', "upload/download workers per backend (the BEs' upload_worker_count / download_worker_count; default 1): shapes the searched job order")
    .option('--batch-size <size>', 'bytes per backup job before a database is split (e.g. 1TiB)', '1TiB')
    .option('--job-timeout <seconds>', 'Doris job timeout (>= 600)', '86400')
    .option('--no-check-temp-partitions', 'before 2.1.7 / 3.0.2: skip the per-table probe for temporary partitions (huge catalogs; BACKUP then refuses such tables at run time)')
    .option('--tls', 'connect to the FEs over TLS')
    .option('--name <name>', 'plan name (default migration-<timestamp>)')
    .option('--out <file>', 'plan file (default plans/<name>.yaml)')
    .option('--yes', 'write the plan without asking')
    .option('--force', "replace a plan that was already applied, archiving its state beside it")
    .option('--no-interactive', 'never prompt; fail with exit 2 naming a missing flag')
    .action((flags: PlanFlags) => done(runPlan(flags, io, { now: () => new Date() }).catch(refuseUnreachable)));
};
