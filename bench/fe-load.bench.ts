// FE load: the statements apply sends while BACKUP/RESTORE jobs run, per job per simulated hour,
// counted at the simulated FEs (statements received over the wire), with the default watcher
// (polls close at a job's start and expected end, sparse between; at most 5 min apart).
import { MAX_GAP_MS } from '../src/run/watcher.js';
import { benchMigration } from './support/migration.js';

const GiB = 1024 ** 3;

/** Three databases of one table each, 512 GiB to 2 TiB: jobs of about half an hour to two hours. */
const seedSql = [512, 1024, 2048]
  .map((g, i) => `CREATE DATABASE fe${i};\nCREATE TABLE fe${i}.t (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${g * GiB}");`)
  .join('\n');

/** Simulated ms per real ms. */
const SCALE = 600;

/** Statements that watch a job (polls) rather than start or finish one (SHOW BRIEF RESTORE counts as SHOW RESTORE). */
const WATCHING = new Set(['SHOW BACKUP', 'SHOW RESTORE', 'SHOW SNAPSHOT']);

export async function run(): Promise<Record<string, string | number>> {
  const m = await benchMigration({ seedSql, timeScale: SCALE, concurrency: 2, batchSize: '4TiB' });
  try {
    for (const sim of [m.sandbox.source, m.sandbox.target]) sim.engine.received.clear();
    // As `apply` runs without --poll-interval: the watcher's default bound.
    // When a poll's reply first showed each job FINISHED (by cluster and label), simulated ms.
    const seen = new Map<string, number>();
    const onReply = (sql: string, rows: unknown, at: number): void => {
      const kind = /^SHOW BACKUP/.test(sql) ? 'source' : /^SHOW (BRIEF )?RESTORE/.test(sql) ? 'target' : undefined;
      if (!kind) return;
      for (const r of rows as Record<string, unknown>[]) {
        const label = (r.SnapshotName ?? r.Label) as string;
        if (r.State === 'FINISHED' && !seen.has(`${kind}/${label}`)) seen.set(`${kind}/${label}`, at);
      }
    };
    const { result, events } = await m.apply({ pollIntervalMs: MAX_GAP_MS, onReply });
    if (result !== 'done') throw new Error(`apply ended ${result}`);
    const counts = new Map<string, number>();
    for (const sim of [m.sandbox.source, m.sandbox.target]) for (const [k, n] of sim.engine.received) counts.set(k, (counts.get(k) ?? 0) + n);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const watching = [...counts].filter(([k]) => WATCHING.has(k)).reduce((a, [, n]) => a + n, 0);
    const jobs = m.jobs().filter((j) => j.state === 'FINISHED');
    const jobHours = jobs.reduce((h, j) => h + (j.end - j.start) / 3_600_000, 0);
    // How long after a job ended (simulated time) apply reported its step finished.
    const stepOf = new Map(events.flatMap(({ e }) => (e.kind === 'job-state' ? [[`${e.step.startsWith('backup:') ? 'source' : 'target'}/${e.label}`, e.step] as const] : [])));
    const finishedAt = new Map(events.flatMap(({ at, e }) => (e.kind === 'step-finished' ? [[e.step, at] as const] : [])));
    const lags = jobs.flatMap((j) => {
      const at = finishedAt.get(stepOf.get(`${j.cluster}/${j.label}`) ?? '');
      return at === undefined ? [] : [(at - j.end) / 1000];
    });
    const noticed = jobs.flatMap((j) => {
      const at = seen.get(`${j.cluster}/${j.label}`);
      return at === undefined ? [] : [(at - j.end) / 1000];
    });
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ');
    return {
      workload: `${jobs.length} jobs of 0.5 to 2 TiB, ${jobHours.toFixed(1)} job-hours, default watcher`,
      'statements received, both FEs': total,
      'most frequent': top,
      'watching: statements per job per hour': Math.round(watching / jobHours),
      'all statements per job per hour': Math.round(total / jobHours),
      // The watcher's own lateness: the first poll whose reply shows the job FINISHED. What follows
      // (reading the snapshot, saving the state) is real time multiplied by the time scale.
      "watching: a job's end to the first poll that shows it, median / max (simulated s)": `${Math.round(median(noticed))} / ${Math.round(Math.max(...noticed))}`,
      "watching: a job's end to apply reporting the step finished, median / max (simulated s)": `${Math.round(median(lags))} / ${Math.round(Math.max(...lags))}`,
      // Both include this: each real ms here is SCALE simulated ms, so a loaded machine's late
      // timers read as late polls. The watcher's own rule aims within NEAR_MS of a right estimate.
      [`apply's sleeps overran, median / max (simulated s; 1 real ms = ${SCALE / 1000} simulated s)`]: `${Math.round(median(m.sleepOverruns()) / 1000)} / ${Math.round(Math.max(...m.sleepOverruns()) / 1000)}`,
    };
  } finally {
    await m.dispose();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
