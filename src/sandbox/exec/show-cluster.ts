// SHOW BACKENDS / FRONTENDS / PROC: cluster facts behind ADMIN (doris-facts.md Part A §5).
import { rows, type Ctx, type Engine, type Result, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { Cursor } from '../sql/cursor.js';
import type { Cell, SimDatabase } from '../store.js';
import { versionText } from '../version.js';

const build = (sim: Engine): string => `doris-${versionText(sim.version)}-rc01-5a1c4e2b3d`;

function backends(sim: Engine): Result {
  const { total, alive } = sim.world.backends;
  const wide = sim.caps.backendsNewColumns;
  const columns = ['BackendId', 'Host', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', ...(wide ? ['ArrowFlightSqlPort'] : []), 'LastStartTime', 'LastHeartbeat', 'Alive', 'SystemDecommissioned', 'TabletNum', 'DataUsedCapacity', 'TrashUsedCapacity', 'AvailCapacity', 'TotalCapacity', 'UsedPct', 'MaxDiskUsedPct', 'RemoteUsedCapacity', 'Tag', 'ErrMsg', 'Version', 'Status', 'HeartbeatFailureCounter', ...(wide ? ['CpuCores', 'Memory', 'RunningTasks'] : []), 'NodeRole'];
  const now = formatDateTime(sim.clock.now());
  const tag = sim.version.cloud ? '{"cloud_unique_id" : "1:sim:be", "compute_group_name" : "default_compute_group", "location" : "default"}' : '{"location" : "default"}';
  const out = Array.from({ length: total }, (_, i): Cell[] => {
    const up = i < alive;
    return [
      String(10001 + i), `127.0.0.${i + 1}`, '9050', '9060', '8040', '8060', ...(wide ? ['-1'] : []), now, now, up ? 'true' : 'false', 'false', '0', '0.000 ', '0.000 ', '1.000 TB', '1.000 TB', '0.00 %', '0.00 %', '0.000 ',
      tag, up ? '' : 'lost connection', build(sim), '{"lastSuccessReportTabletsTime":"N/A"}', up ? '0' : '3', ...(wide ? ['16', '64.000 GB', '0'] : []), 'mix',
    ];
  });
  return rows(columns, out);
}

function frontends(sim: Engine): Result {
  const now = formatDateTime(sim.clock.now());
  if (sim.caps.frontendsNewColumns)
    return rows(
      ['Name', 'Host', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'ArrowFlightSqlPort', 'Role', 'IsMaster', 'ClusterId', 'Join', 'Alive', 'ReplayedJournalId', 'LastStartTime', 'LastHeartbeat', 'IsHelper', 'ErrMsg', 'Version', 'CurrentConnected'],
      [['fe_sim_1', '127.0.0.1', '9010', '8030', '9030', '9020', '-1', 'FOLLOWER', 'true', '1025026658', 'true', 'true', '1000', now, now, 'true', '', build(sim), 'Yes']],
    );
  return rows(
    ['Name', 'IP', 'HostName', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'Role', 'IsMaster', 'ClusterId', 'Join', 'Alive', 'ReplayedJournalId', 'LastHeartbeat', 'IsHelper', 'ErrMsg', 'Version', 'CurrentConnected'],
    [['fe_sim_1', '127.0.0.1', 'localhost', '9010', '8030', '9030', '9020', 'FOLLOWER', 'true', '1025026658', 'true', 'true', '1000', now, 'true', '', build(sim), 'Yes']],
  );
}

/**
 * GroupName as SHOW PROC prints it: 2.0 shows the stored full name `<dbId>_<name>`; 2.1 and later
 * show `<dbName>.<name>` (ColocateTableIndex#getInfos); global groups keep their `__global__` name.
 */
function groupName(sim: Engine, db: SimDatabase, name: string): string {
  if (name.startsWith('__global__')) return name;
  return sim.caps.colocateGroupDbName ? `${db.name}.${name}` : `${db.id}_${name}`;
}

function colocationGroups(sim: Engine): Result {
  const out: Cell[][] = [];
  for (const db of Object.values(sim.world.databases)) {
    const groups = new Map<string, typeof db.tables[string][]>();
    for (const t of Object.values(db.tables)) {
      const g = t.properties.colocate_with;
      if (g) groups.set(g, [...(groups.get(g) ?? []), t]);
    }
    for (const [name, members] of groups) {
      const first = members[0]!;
      const distTypes = first.distribution.columns.map((n) => first.columns.find((col) => col.name === n)?.type ?? '').join(', ');
      const groupId = Math.min(...members.map((m) => m.id));
      out.push([`${db.id}.${groupId}`, groupName(sim, db, name), members.map((m) => m.id).join(', '), String(first.distribution.buckets), first.properties.replication_allocation ?? '', distTypes, 'true', '']);
    }
  }
  return rows(['GroupId', 'GroupName', 'TableIds', 'BucketsNum', 'ReplicaAllocation', 'DistCols', 'IsStable', 'ErrorMsg'], out);
}

function proc(c: Cursor, ctx: Ctx): Result {
  c.expect('SHOW', 'PROC');
  const path = c.string().replace(/\/+$/, '');
  c.end();
  ctx.sim.requireAdmin(ctx.session);
  if (path === '/colocation_group') return colocationGroups(ctx.sim);
  if (path === '/backends') return backends(ctx.sim);
  if (path === '/frontends') return frontends(ctx.sim);
  if (path === '/dbs')
    return rows(['DbId', 'DbName', 'TableNum'], Object.values(ctx.sim.world.databases).map((d) => [String(d.id), d.name, String(Object.keys(d.tables).length)]));
  const dbId = /^\/dbs\/(\d+)$/.exec(path)?.[1];
  const db = dbId ? Object.values(ctx.sim.world.databases).find((d) => String(d.id) === dbId) : undefined;
  if (db)
    return rows(
      ['TableId', 'TableName', 'IndexNum', 'PartitionColumnName', 'DistributionColumnName', 'State', 'Type', 'LastConsistencyCheckTime', 'ReplicaCount', 'VisibleVersion', 'VisibleVersionTime', 'RunningTransactionNum', 'LastUpdateTime'],
      Object.values(db.tables).map((t) => [String(t.id), t.name, String(1 + t.rollups.length), t.partitionColumns.join(', '), t.distribution.columns.join(', '), t.state, t.type, null, '0', '1', formatDateTime(t.updateTime), '0', formatDateTime(t.updateTime)]),
    );
  throw dorisError(`Proc path '${path}' doesn't exist`);
}

export const showBackends: StatementHandler = {
  name: 'SHOW BACKENDS',
  match: (c) => c.at('SHOW', 'BACKENDS'),
  run(c, ctx) {
    c.expect('SHOW', 'BACKENDS');
    c.end();
    ctx.sim.requireAdmin(ctx.session, 'ADMIN/NODE');
    return backends(ctx.sim);
  },
};

export const showFrontends: StatementHandler = {
  name: 'SHOW FRONTENDS',
  match: (c) => c.at('SHOW', 'FRONTENDS'),
  run(c, ctx) {
    c.expect('SHOW', 'FRONTENDS');
    c.end();
    ctx.sim.requireAdmin(ctx.session, 'ADMIN/NODE');
    return frontends(ctx.sim);
  },
};

export const showProc: StatementHandler = { name: 'SHOW PROC', match: (c) => c.at('SHOW', 'PROC'), run: proc };
