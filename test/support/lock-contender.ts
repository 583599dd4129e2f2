// A process that competes for a plan's lock (test/run/lock-race.test.ts): it says `ready`, takes
// the lock when its stdin says go, prints `got` or `refused <code>: <message>`, and a holder keeps
// the lock until its stdin ends.
import { acquireLock } from '../../src/run/lock.js';

const path = process.argv[2]!;
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  try {
    const lock = acquireLock(path, new Date().toISOString());
    process.stdout.write(`got${lock.tookOver ? ' takeover' : ''}\n`);
    process.stdin.on('end', () => lock.release());
    process.stdin.resume();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    process.stdout.write(`refused ${err.code}: ${err.message}\n`);
    process.exit(0);
  }
});
