import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAck } from '../ack/ack.js';
import { parseMessage } from '../codec/parse.js';
import { MllpClient, MllpTransportError } from './client.js';
import { FrameDecoder, frame } from './frame.js';
import { createMllpServer, type MllpServer } from './server.js';

const message = (id: string) => `MSH|^~\\&|LAB|L|HIS|H|20260101||ORU^R01|${id}|P|2.5.1\rPID|1||${id}\r`;
const echoAck = async (text: string) => buildAck(parseMessage(text), { code: 'AA' }).toString();

let servers: MllpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(options: Parameters<typeof createMllpServer>[0]): Promise<number> {
  const server = createMllpServer(options);
  servers.push(server);
  return server.listen(0, '127.0.0.1');
}

/** Raw socket: writes chunks as given and collects whole reply frames. */
function rawPeer(port: number) {
  const socket = connect({ port, host: '127.0.0.1' });
  const decoder = new FrameDecoder(1 << 20);
  const replies: string[] = [];
  socket.on('data', (c: Buffer) => {
    for (const e of decoder.push(c)) if (e.kind === 'message') replies.push(e.payload.toString());
  });
  const until = async (n: number) => {
    for (let i = 0; i < 200 && replies.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return replies;
  };
  return { socket, until };
}

describe('MLLP over TCP', () => {
  it('client and server exchange messages and ACKs in order', async () => {
    const seen: string[] = [];
    const port = await start({
      handler: async (text) => {
        const m = parseMessage(text);
        seen.push(m.controlId ?? '');
        // The first message is slow: order must still hold.
        if (m.controlId === '1') await new Promise((r) => setTimeout(r, 50));
        return buildAck(m, { code: 'AA' }).toString();
      },
    });
    const client = new MllpClient({ host: '127.0.0.1', port });
    const acks = await Promise.all(['1', '2', '3'].map((id) => client.send(message(id))));
    await client.close();
    expect(acks.map((a) => parseMessage(a).get('MSA-2'))).toEqual(['1', '2', '3']);
    expect(seen).toEqual(['1', '2', '3']);
  });

  it('handles frames split across TCP writes and several frames per write', async () => {
    const port = await start({ handler: echoAck });
    const peer = rawPeer(port);
    const all = Buffer.concat([frame(message('a')), frame(message('b')), frame(message('c'))]);
    peer.socket.write(all.subarray(0, 7));
    await new Promise((r) => setTimeout(r, 20));
    peer.socket.write(all.subarray(7, all.length - 1));
    await new Promise((r) => setTimeout(r, 20));
    peer.socket.write(all.subarray(all.length - 1));
    const replies = await peer.until(3);
    peer.socket.destroy();
    expect(replies.map((r) => parseMessage(r).get('MSA-2'))).toEqual(['a', 'b', 'c']);
  });

  it('rejects an oversize message with AR 104 and keeps serving the connection', async () => {
    const port = await start({ handler: echoAck, maxMessageBytes: 200 });
    const peer = rawPeer(port);
    peer.socket.write(frame(`${message('big')}NTE|1||${'x'.repeat(500)}\r`));
    peer.socket.write(frame(message('small')));
    const replies = await peer.until(2);
    peer.socket.destroy();
    const [big, small] = replies.map((r) => parseMessage(r));
    expect(big.get('MSA-1')).toBe('AR');
    expect(big.get('MSA-2')).toBe('big');
    expect(big.get('ERR-3.1')).toBe('104');
    expect(small.get('MSA-1')).toBe('AA');
  });

  it('answers AE when the handler fails and stays up', async () => {
    const port = await start({
      handler: async (text) => {
        if (text.includes('|boom|')) throw new Error('mapping crashed');
        return echoAck(text);
      },
    });
    const client = new MllpClient({ host: '127.0.0.1', port });
    const failed = parseMessage(await client.send(message('boom')));
    const ok = parseMessage(await client.send(message('fine')));
    await client.close();
    expect(failed.get('MSA-1')).toBe('AE');
    expect(failed.get('MSA-2')).toBe('boom');
    expect(failed.get('ERR-3.1')).toBe('207');
    expect(ok.get('MSA-1')).toBe('AA');
  });

  it('closes idle connections', async () => {
    const port = await start({ handler: echoAck, idleTimeoutMs: 50 });
    const peer = rawPeer(port);
    const closed = await new Promise<boolean>((resolve) => {
      peer.socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    expect(closed).toBe(true);
  });

  it('close waits for a message in flight and sends its ACK', async () => {
    let release: () => void = () => {};
    const server = createMllpServer({
      handler: async (text) => {
        await new Promise<void>((r) => {
          release = r;
        });
        return echoAck(text);
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    const client = new MllpClient({ host: '127.0.0.1', port });
    const pending = client.send(message('inflight'));
    await new Promise((r) => setTimeout(r, 50));
    const closing = server.close();
    setTimeout(() => release(), 50);
    expect(parseMessage(await pending).get('MSA-2')).toBe('inflight');
    await closing;
    await expect(
      new MllpClient({ host: '127.0.0.1', port, connectTimeoutMs: 500 }).send(message('late')),
    ).rejects.toBeInstanceOf(MllpTransportError);
  });

  it('client times out when no ACK comes', async () => {
    const port = await start({ handler: () => new Promise(() => {}), closeTimeoutMs: 10 });
    const client = new MllpClient({ host: '127.0.0.1', port, ackTimeoutMs: 100 });
    await expect(client.send(message('x'))).rejects.toThrow(/No acknowledgement/);
  });
});
