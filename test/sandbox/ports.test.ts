// Servers that restart on their port: the first port lies outside the ephemeral range (where the
// OS picks every outgoing connection's local port), and a restart whose port something else holds
// for a moment waits for it; held for good, it gives up with one line naming the port.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { parseEphemeralRange, restartableRange } from '../../src/sandbox/ports.js';
import { startAzurite } from '../../src/sandbox/stack/object-servers.js';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

/** A plain listening socket on the port: what a client's connection handed that port looks like to a bind. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

const dirs: string[] = [];
const blockers = new Map<number, Server>();
afterEach(() => {
  for (const b of blockers.values()) b.close();
  blockers.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dm-ports-'));
  dirs.push(d);
  return d;
};
/** The onBusy hook that frees a blocked port the first time a start finds it taken. */
const freeOnBusy = (seen: number[]) => (port: number): void => {
  seen.push(port);
  blockers.get(port)?.close();
  blockers.delete(port);
};

describe('the range restartable servers take their ports from', () => {
  it('lies below the ephemeral range, else above it, else there is none', () => {
    expect(restartableRange(parseEphemeralRange('32768\t60999\n'))).toEqual([10000, 32767]);
    expect(restartableRange(parseEphemeralRange('10000 20000'))).toEqual([20001, 65535]);
    expect(restartableRange(parseEphemeralRange('1024 65535'))).toBeUndefined();
    expect(restartableRange(parseEphemeralRange('nonsense'))).toEqual([20000, 32000]);
    expect(restartableRange(undefined)).toEqual([20000, 32000]);
  });

  it.runIf(existsSync(RANGE_FILE))('a sandbox listens outside the machine\'s ephemeral range', async () => {
    const [lo, hi] = parseEphemeralRange(readFileSync(RANGE_FILE, 'utf8'))!;
    const sb = await startSandbox({ dataDir: newDir(), azure: false });
    try {
      for (const port of [sb.source.port, sb.target.port, Number(new URL(sb.s3.endpoint).port)]) expect(port < lo || port > hi, `port ${port} in ${lo}-${hi}`).toBe(true);
    } finally {
      await sb.stop();
    }
  });
});

describe('a restart whose port is taken', () => {
  it('waits until it is free and listens on it again (simulators and s3rver)', async () => {
    const dir = newDir();
    const first = await startSandbox({ dataDir: dir, azure: false });
    const ports = { source: first.source.port, target: first.target.port, s3: Number(new URL(first.s3.endpoint).port) };
    await first.stop();
    // While it is down, something else gets the source's and S3's ports for a moment.
    for (const port of [ports.source, ports.s3]) blockers.set(port, await occupy(port));
    const busy: number[] = [];
    const second = await startSandbox({ dataDir: dir, azure: false, portRetry: { onBusy: freeOnBusy(busy) } });
    try {
      expect({ source: second.source.port, target: second.target.port, s3: Number(new URL(second.s3.endpoint).port) }).toEqual(ports);
      expect(busy.sort()).toEqual([ports.source, ports.s3].sort());
      await second.source.execute('CREATE DATABASE back_again');
    } finally {
      await second.stop();
    }
  });

  it('held for good: one line naming the port after a bounded number of attempts, nothing left running', async () => {
    const dir = newDir();
    const first = await startSandbox({ dataDir: dir, azure: false });
    const ports = { source: first.source.port, target: first.target.port };
    await first.stop();
    blockers.set(ports.target, await occupy(ports.target));
    const attempts: number[] = [];
    const failed = await startSandbox({ dataDir: dir, azure: false, portRetry: { attempts: 3, backoffMs: 10, onBusy: (_, n) => attempts.push(n) } }).then(
      () => undefined,
      (e: unknown) => (e as Error).message,
    );
    expect(failed).toMatch(new RegExp(`^the simulated FE: port ${ports.target} is still in use by another process after 3 attempts over 30 ms; `));
    expect(failed).not.toContain('\n');
    expect(attempts).toEqual([1, 2, 3]);
    // What the failed start had started (S3, the source) was stopped: freed, the ports all come back.
    blockers.get(ports.target)!.close();
    blockers.delete(ports.target);
    const third = await startSandbox({ dataDir: dir, azure: false });
    try {
      expect({ source: third.source.port, target: third.target.port }).toEqual(ports);
    } finally {
      await third.stop();
    }
  });

  it('Azurite waits for its port too', async () => {
    const first = await startAzurite({ restartable: true });
    const port = Number(new URL(first.endpoint).port);
    await first.stop();
    blockers.set(port, await occupy(port));
    const busy: number[] = [];
    const second = await startAzurite({ port, retry: { onBusy: freeOnBusy(busy) } });
    try {
      expect(Number(new URL(second.endpoint).port)).toBe(port);
      expect(busy).toEqual([port]);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
