// Child process of the catalog bench: a source simulator seeded in bulk, an empty target and
// s3rver, so the planner's process holds only the planner (its peak RSS is the planner's own).
// Talks to the parent over IPC: sends `ready` with endpoints, answers `stats`, stops on `stop`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/sandbox/index.js';
import { startS3Server } from '../../src/sandbox/stack/object-servers.js';
import { bulkSeed, type CatalogShape } from './bulk-seed.js';

export interface SimChildRequest {
  version: string;
  shape: CatalogShape;
}

export interface SimStats {
  /** Statements each simulator received over the wire. */
  sourceStatements: number;
  targetStatements: number;
  /** Real ms each simulator spent answering (running statements and writing replies). */
  sourceAnswerMs: number;
  targetAnswerMs: number;
  /** CPU this process (both simulators and s3rver) used since it was ready: less noisy than answer time on a busy machine. */
  cpuMs: number;
  sourceByKind: Record<string, number>;
}

export type SimChildMessage =
  | { kind: 'ready'; source: number; target: number; s3: { endpoint: string; accessKeyId: string; secretAccessKey: string }; seedMs: number; simRssMiB: number }
  | { kind: 'stats'; stats: SimStats };

const send = (m: SimChildMessage): void => void process.send!(m);

const total = (sim: Simulator): number => [...sim.engine.received.values()].reduce((a, b) => a + b, 0);

process.once('message', (req: SimChildRequest) => {
  void (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-bench-catalog-'));
    const s3 = await startS3Server({ directory: join(dir, 's3'), buckets: ['doris-migrate'] });
    const source = await startSimulator({ version: req.version, dataDir: join(dir, 'source') });
    const target = await startSimulator({ version: req.version, dataDir: join(dir, 'target') });
    const t0 = performance.now();
    await bulkSeed(source, req.shape);
    const seedMs = performance.now() - t0;
    source.engine.received.clear();
    target.engine.received.clear();
    source.engine.answerMs = 0;
    target.engine.answerMs = 0;
    const cpu0 = process.cpuUsage();
    process.on('message', (m: string) => {
      if (m === 'stats') {
        send({
          kind: 'stats',
          stats: {
            sourceStatements: total(source), targetStatements: total(target),
            sourceAnswerMs: source.engine.answerMs, targetAnswerMs: target.engine.answerMs,
            cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)),
            sourceByKind: Object.fromEntries(source.engine.received),
          },
        });
      } else if (m === 'stop') {
        // Nothing here is worth keeping: skip the simulators' final write of a huge world.
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      }
    });
    send({ kind: 'ready', source: source.port, target: target.port, s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, seedMs, simRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
  })();
});
