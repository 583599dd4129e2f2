// Ports for servers that stop and start again on the port they had (a simulated FE restarted on
// its data directory, the sandbox's object stores). A port the OS picks comes from the ephemeral
// range, from which the OS also picks the local port of every outgoing connection: while such a
// server is down, any client on the machine may be handed its port, and the restart finds it
// taken. So a restartable server takes its first port outside that range, and a restart that
// still finds its port taken waits a bounded while for it before it gives up with one line.
import { readFileSync } from 'node:fs';

/** How a start on a remembered port waits for it while something else holds it. */
export interface PortRetry {
  /** Listen attempts before giving up. Default 12 (about 8.5 s with the default backoff). */
  attempts?: number;
  /** The first wait between attempts, doubled after each up to 1 s. Default 100 ms. */
  backoffMs?: number;
  /** Called after each attempt that found the port in use (a test frees the port here). */
  onBusy?: (port: number, attempt: number) => void;
}

/** Where the port comes from. */
export interface PortChoice {
  /** A port to listen on (a restart, or the user's choice); 0 or absent: pick one. */
  port?: number;
  /** The server will be started again on the port it gets: pick it outside the ephemeral range. */
  restartable?: boolean;
  retry?: PortRetry;
}

/** Where the ephemeral range cannot be read (macOS, Windows: 49152-65535), a range below it. */
const DEFAULT_RANGE: readonly [number, number] = [20000, 32000];
/** Ports below this are left to well-known services. */
const LOWEST = 10000;
/** A window narrower than this would make collisions between our own servers likely. */
const NARROWEST = 2000;
/** Fresh ports tried before a first start gives up. */
const FRESH_TRIES = 20;

/** The `lo hi` pair of /proc/sys/net/ipv4/ip_local_port_range, or undefined when unreadable. */
export function parseEphemeralRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return lo > 0 && lo <= hi && hi <= 65535 ? [lo, hi] : undefined;
}

/**
 * The ports a restartable server picks from: the larger window outside the ephemeral range
 * (below it, else above), or undefined when neither is wide enough (then the OS picks and only
 * the waiting restart protects it).
 */
export function restartableRange(ephemeral: [number, number] | undefined): [number, number] | undefined {
  if (!ephemeral) return [...DEFAULT_RANGE];
  const [lo, hi] = ephemeral;
  const below: [number, number] = [LOWEST, lo - 1];
  const above: [number, number] = [hi + 1, 65535];
  const width = ([a, b]: [number, number]): number => b - a + 1;
  const best = width(below) >= width(above) ? below : above;
  return width(best) >= NARROWEST ? best : undefined;
}

function systemRestartableRange(): [number, number] | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  } catch {
    return restartableRange(undefined);
  }
  return restartableRange(parseEphemeralRange(text));
}

const isAddressInUse = (e: unknown): boolean => (e as { code?: unknown } | undefined)?.code === 'EADDRINUSE';

/** An error thrown by a start that found its port in use, for starts that only see text (Azurite). */
export function addressInUse(message: string): Error {
  return Object.assign(new Error(message), { code: 'EADDRINUSE' });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a server through `start(port)`, which listens once and rejects with code EADDRINUSE when
 * the port is taken. `what` names the server in the error.
 */
export async function listenOnPort<T>(what: string, choice: PortChoice, start: (port: number) => Promise<T>): Promise<T> {
  if (choice.port) return waitForPort(what, choice.port, choice.retry ?? {}, start);
  const range = choice.restartable ? systemRestartableRange() : undefined;
  if (!range) return start(0);
  const [lo, hi] = range;
  for (let i = 0; i < FRESH_TRIES; i++) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    try {
      return await start(port);
    } catch (e) {
      if (!isAddressInUse(e)) throw e;
    }
  }
  throw new Error(`${what}: found no free port in ${lo}-${hi} after ${FRESH_TRIES} tries; free some ports there`);
}

async function waitForPort<T>(what: string, port: number, retry: PortRetry, start: (port: number) => Promise<T>): Promise<T> {
  const attempts = retry.attempts ?? 12;
  let backoff = retry.backoffMs ?? 100;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(port);
    } catch (e) {
      if (!isAddressInUse(e)) throw e;
    }
    retry.onBusy?.(port, attempt);
    if (attempt >= attempts) break;
    await sleep(backoff);
    waited += backoff;
    backoff = Math.min(backoff * 2, 1000);
  }
  throw new Error(`${what}: port ${port} is still in use by another process after ${attempts} attempts over ${waited < 1000 ? `${waited} ms` : `${(waited / 1000).toFixed(1)} s`}; stop what holds it, or start on a new data directory or another port`);
}
