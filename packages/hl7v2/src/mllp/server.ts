import { createServer, type Server, type Socket } from 'node:net';
import { buildAck } from '../ack/ack.js';
import { ErrorCode } from '../codec/errors.js';
import { salvageHeader } from '../codec/salvage.js';
import { FrameDecoder, frame } from './frame.js';

/** Who sent a message: the peer's address, for logs and the message store. */
export interface MllpPeer {
  remoteAddress?: string;
  remotePort?: number;
}

/** Turns one received message into the ACK text to send back. Should not throw. */
export type MllpHandler = (message: string, peer: MllpPeer) => Promise<string>;

export interface MllpLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MllpServerOptions {
  handler: MllpHandler;
  /** Largest message accepted, in bytes (default 16 MiB); larger ones get AR with ERR-3 104. */
  maxMessageBytes?: number;
  /** Close a connection idle this long (default 5 minutes; 0 = never). */
  idleTimeoutMs?: number;
  /** How long `close` waits for messages in flight before cutting connections (default 10 s). */
  closeTimeoutMs?: number;
  logger?: MllpLogger;
}

export interface MllpServer {
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets messages in flight finish and their ACKs go out, then closes. */
  close(): Promise<void>;
  /** Number of open connections. */
  readonly connections: number;
}

const silent: MllpLogger = { info() {}, warn() {}, error() {} };

/**
 * An MLLP listener. Each connection is served in order: the next message on a connection is
 * handled only after the previous one's ACK was written, which keeps a peer's messages in the
 * order it sent them (what v2 peers expect; they wait for each ACK anyway).
 */
export function createMllpServer(options: MllpServerOptions): MllpServer {
  const maxBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  const idle = options.idleTimeoutMs ?? 5 * 60_000;
  const log = options.logger ?? silent;
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const peer: MllpPeer = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort };
    const decoder = new FrameDecoder(maxBytes);
    let queue: Promise<void> = Promise.resolve();
    if (idle > 0) {
      socket.setTimeout(idle, () => {
        log.info({ peer }, 'MLLP connection idle, closing');
        socket.end();
      });
    }
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        const work = queue.then(async () => {
          const ack =
            event.kind === 'message'
              ? await safeHandle(event.payload.toString('utf8'), peer)
              : oversizeAck(event.head.toString('utf8'), event.size, maxBytes);
          if (!socket.destroyed) socket.write(frame(ack));
        });
        queue = work;
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      }
    });
    socket.on('error', (err) => log.warn({ peer, err: err.message }, 'MLLP connection error'));
    socket.on('close', () => sockets.delete(socket));
  });

  async function safeHandle(text: string, peer: MllpPeer): Promise<string> {
    try {
      return await options.handler(text, peer);
    } catch (err) {
      // The engine answers every message; a failing handler still gets the peer an AE.
      log.error({ peer, err: err instanceof Error ? err.message : String(err) }, 'MLLP handler failed');
      return buildAck(salvageHeader(text), {
        code: 'AE',
        issues: [
          {
            code: ErrorCode.applicationInternalError,
            severity: 'E',
            text: 'Internal error while processing the message',
          },
        ],
      }).toString();
    }
  }

  return {
    get connections() {
      return sockets.size;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const timeout = options.closeTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => {
          timer = setTimeout(r, timeout);
        }),
      ]);
      clearTimeout(timer);
      for (const s of sockets) s.end();
      const forced = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 1000);
      await closed;
      clearTimeout(forced);
    },
  };
}

function oversizeAck(head: string, size: number, maxBytes: number): string {
  return buildAck(salvageHeader(head), {
    code: 'AR',
    issues: [
      {
        code: ErrorCode.valueTooLong,
        severity: 'E',
        text: `Message of ${size} bytes exceeds the ${maxBytes}-byte limit of this interface`,
      },
    ],
  }).toString();
}
