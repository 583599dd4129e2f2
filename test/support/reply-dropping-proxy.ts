// A TCP proxy between a MySQL client (apply) and a server (a simulated FE) that loses the reply to
// a chosen statement: the statement reaches the server and runs there, and as soon as the server
// starts answering, both connections are reset, so the client never sees the reply. That is the
// fault "the write took effect but we do not know it" that a real network produces.
//
// It reads the client's packets (3-byte length, 1-byte sequence id): a command starts at sequence
// id 0 and COM_QUERY is command byte 0x03 followed by the statement text.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ReplyDroppingProxy {
  host: string;
  port: number;
  /** Loses the reply to the next `times` statements matching `pattern` (the statements still run). */
  dropReplyTo(pattern: RegExp, times?: number): void;
  /** Statements whose reply was lost, in order. */
  readonly dropped: string[];
  /** Every statement that went through, in order. */
  readonly statements: string[];
  close(): Promise<void>;
}

const COM_QUERY = 0x03;

export async function startReplyDroppingProxy(upstream: { host: string; port: number }): Promise<ReplyDroppingProxy> {
  const rules: { pattern: RegExp; left: number }[] = [];
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
    dropped,
    statements,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
