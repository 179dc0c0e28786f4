/**
 * An HTTP endpoint on 127.0.0.1 for tests of what Steward sends out (portability transmissions,
 * DRP callbacks): it keeps every request it gets and answers each with `status`, which a test
 * may change between requests.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  readonly port: number;
  /** Every request so far, oldest first, with its body as text. */
  readonly received: { readonly headers: IncomingHttpHeaders; readonly body: string }[];
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(status = 202): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    port: (server.address() as AddressInfo).port,
    received,
    status,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return receiver;
}
