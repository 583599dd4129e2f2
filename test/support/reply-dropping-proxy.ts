// A TCP proxy between a MySQL client (apply) and a server (a simulated FE) that loses the reply to
// a chosen statement: the statement reaches the server and runs there, and as soon as the server
// starts answering, both connections are reset, so the client never sees the reply. That is the
// fault "the write took effect but we do not know it" that a real network produces.
//
// It can also stand for an FE that refuses a chosen statement with an error of its own (`refuse`):
// the statement never reaches the server and the client gets that error, e.g. one that echoes the
// statement, secrets and all.
//
// It reads the client's packets (3-byte length, 1-byte sequence id): a command starts at sequence
// id 0 and COM_QUERY is command byte 0x03 followed by the statement text.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ReplyDroppingProxy {
  host: string;
  port: number;
  /** Loses the reply to the next `times` statements matching `pattern` (the statements still run). */
  dropReplyTo(pattern: RegExp, times?: number): void;
  /** Answers the next `times` statements matching `pattern` with error 1105 and `message(statement)`; they never reach the server. */
  refuse(pattern: RegExp, message: (statement: string) => string, times?: number): void;
  /** Statements whose reply was lost, in order. */
  readonly dropped: string[];
  /** Every statement that went through, in order. */
  readonly statements: string[];
  close(): Promise<void>;
}

const COM_QUERY = 0x03;

/** A MySQL ERR packet (sequence id 1, the reply to a command): 0xff, errno, '#', SQLSTATE, text. */
function errPacket(errno: number, sqlState: string, message: string): Buffer {
  const payload = Buffer.concat([Buffer.from([0xff, errno & 0xff, errno >> 8]), Buffer.from(`#${sqlState}${message}`, 'utf8')]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 1;
  return Buffer.concat([header, payload]);
}

export async function startReplyDroppingProxy(upstream: { host: string; port: number }): Promise<ReplyDroppingProxy> {
  const rules: { pattern: RegExp; left: number }[] = [];
  const refusals: { pattern: RegExp; left: number; message: (statement: string) => string }[] = [];
  const dropped: string[] = [];
  const statements: string[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const backend = connect(upstream.port, upstream.host);
    sockets.add(client).add(backend);
    client.on('close', () => sockets.delete(client));
    backend.on('close', () => sockets.delete(backend));
    let pending = Buffer.alloc(0);
    /** Set once a matching statement went out: the server's next bytes are its reply, which is lost. */
    let losing: string | undefined;
    const reset = (): void => {
      client.resetAndDestroy();
      backend.resetAndDestroy();
    };
    client.on('error', () => backend.destroy());
    backend.on('error', () => client.destroy());
    client.on('end', () => backend.end());
    backend.on('end', () => client.end());

    backend.on('data', (chunk: Buffer) => {
      if (losing !== undefined) {
        dropped.push(losing);
        losing = undefined;
        reset();
        return;
      }
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Forward whole packets only, so a statement to lose is recognised before any of it is sent.
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < 4 + length) break;
        const packet = pending.subarray(0, 4 + length);
        pending = pending.subarray(4 + length);
        const sequence = packet[3];
        if (sequence === 0 && packet[4] === COM_QUERY) {
          const statement = packet.subarray(5).toString('utf8');
          statements.push(statement);
          const refusal = refusals.find((r) => r.left > 0 && r.pattern.test(statement));
          if (refusal) {
            refusal.left--;
            client.write(errPacket(1105, 'HY000', refusal.message(statement)));
            continue;
          }
          const rule = rules.find((r) => r.left > 0 && r.pattern.test(statement));
          if (rule) {
            rule.left--;
            losing = statement;
          }
        }
        backend.write(packet);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    dropReplyTo(pattern, times = 1) {
      rules.push({ pattern, left: times });
    },
    refuse(pattern, message, times = 1) {
      refusals.push({ pattern, left: times, message });
    },
    dropped,
    statements,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
