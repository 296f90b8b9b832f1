import { connect, type Socket } from 'node:net';
import { FrameDecoder, frame } from './frame.js';

export interface MllpClientOptions {
  host: string;
  port: number;
  /** How long to wait for each ACK (default 30 s). */
  ackTimeoutMs?: number;
  /** How long to wait for the connection (default 10 s). */
  connectTimeoutMs?: number;
  maxMessageBytes?: number;
}

/** Raised by the client when the peer cannot be reached, hangs up or does not answer in time. */
export class MllpTransportError extends Error {
  override readonly name = 'MllpTransportError';
}

/**
 * An MLLP sender: `send` writes one framed message and resolves with the peer's reply (the ACK
 * text). Sends are queued so one message is outstanding at a time, as original-mode
 * acknowledgement requires.
 */
export class MllpClient {
  private socket?: Socket;
  private decoder: FrameDecoder;
  private waiting?: { resolve: (ack: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MllpClientOptions) {
    this.decoder = new FrameDecoder(options.maxMessageBytes ?? 16 * 1024 * 1024);
  }

  /** Opens the connection (send does this on first use). */
  async connect(): Promise<void> {
    if (this.socket && !this.socket.destroyed) return;
    const { host, port } = this.options;
    this.decoder = new FrameDecoder(this.options.maxMessageBytes ?? 16 * 1024 * 1024);
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new MllpTransportError(`Timed out connecting to ${host}:${port}`));
      }, this.options.connectTimeoutMs ?? 10_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.socket = socket;
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new MllpTransportError(`Cannot connect to ${host}:${port}: ${err.message}`));
      });
      socket.on('data', (chunk: Buffer) => {
        for (const event of this.decoder.push(chunk)) {
          const w = this.waiting;
          if (!w) continue;
          this.waiting = undefined;
          clearTimeout(w.timer);
          if (event.kind === 'message') w.resolve(event.payload.toString('utf8'));
          else w.reject(new MllpTransportError(`Reply of ${event.size} bytes is too large`));
        }
      });
      socket.on('close', () => {
        const w = this.waiting;
        this.waiting = undefined;
        if (w) {
          clearTimeout(w.timer);
          w.reject(new MllpTransportError('Connection closed before the acknowledgement arrived'));
        }
      });
    });
  }

  /** Sends one message and resolves with the reply (ACK) text. */
  send(message: string): Promise<string> {
    const run = this.queue.then(() => this.sendNow(message));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(message: string): Promise<string> {
    await this.connect();
    const socket = this.socket as Socket;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        socket.destroy();
        reject(new MllpTransportError(`No acknowledgement within ${this.options.ackTimeoutMs ?? 30_000} ms`));
      }, this.options.ackTimeoutMs ?? 30_000);
      this.waiting = { resolve, reject, timer };
      socket.write(frame(message));
    });
  }

  /** Closes the connection after pending sends. */
  async close(): Promise<void> {
    await this.queue;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
    });
  }
}
