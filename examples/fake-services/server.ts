// Stand-ins for the payment and inventory/warehouse services the example apps call over HTTP,
// so both apps run on a laptop against `temporal server start-dev`. Behaviour is driven by data:
// customers whose id starts with `declined-` get a declined card, the SKU `SOLD-OUT` is never in
// stock, and a shipment reports `shipped` after a few status polls.
//
//   npx tsx examples/fake-services/server.ts      # prints PAYMENT_URL and INVENTORY_URL

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface FakeServicesOptions {
  /** Port to listen on (default: a free one). Always binds 127.0.0.1. */
  port?: number;
  /** Status polls a shipment answers `picking` before it answers `shipped` (default 2). */
  pollsBeforeShipped?: number;
}

/** One request the fake services answered, for tests to count attempts. */
export interface FakeServiceCall {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface FakeServices {
  paymentUrl: string;
  inventoryUrl: string;
  calls: FakeServiceCall[];
  /** Calls whose `METHOD /path` starts with the prefix, e.g. `POST /payment/charges`. */
  callsTo(prefix: string): FakeServiceCall[];
  close(): Promise<void>;
}

interface Shipment {
  orderId: string;
  polls: number;
}

export async function startFakeServices(options: FakeServicesOptions = {}): Promise<FakeServices> {
  const pollsBeforeShipped = options.pollsBeforeShipped ?? 2;
  const calls: FakeServiceCall[] = [];
  const charges = new Map<string, string>();
  const reservations = new Map<string, string>();
  const shipments = new Map<string, Shipment>();
  let nextId = 1;

  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      const method = request.method ?? 'GET';
      const path = new URL(request.url ?? '/', 'http://fake').pathname;
      const reply = (status: number, payload?: unknown) => {
        calls.push({ method, path, status, body });
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const input = (body ?? {}) as Record<string, unknown>;

      if (method === 'POST' && path === '/payment/charges') {
        const customerId = String(input['customerId'] ?? '');
        if (customerId.startsWith('declined-')) return reply(402, { error: 'card_declined' });
        // Idempotency key: a retried charge for the same order returns the first charge.
        const key = request.headers['idempotency-key'];
        const existing = typeof key === 'string' ? charges.get(key) : undefined;
        const chargeId = existing ?? `ch_${nextId++}`;
        if (typeof key === 'string') charges.set(key, chargeId);
        return reply(201, { chargeId });
      }
      if (method === 'POST' && path === '/inventory/reservations') {
        const lines = (input['lines'] ?? []) as { sku: string; quantity: number }[];
        const soldOut = lines.find((line) => line.sku === 'SOLD-OUT');
        if (soldOut) return reply(409, { error: 'out_of_stock', sku: soldOut.sku });
        const orderId = String(input['orderId']);
        const reservationId = reservations.get(orderId) ?? `res_${nextId++}`;
        reservations.set(orderId, reservationId);
        return reply(201, { reservationId });
      }
      const release = /^\/inventory\/reservations\/([^/]+)$/.exec(path);
      if (method === 'DELETE' && release) return reply(204);
      if (method === 'POST' && path === '/inventory/shipments') {
        const orderId = String(input['orderId']);
        const existing = [...shipments].find(([, shipment]) => shipment.orderId === orderId);
        const shipmentId = existing?.[0] ?? `shp_${nextId++}`;
        if (!existing) shipments.set(shipmentId, { orderId, polls: 0 });
        return reply(201, { shipmentId });
      }
      const status = /^\/inventory\/shipments\/([^/]+)$/.exec(path);
      if (method === 'GET' && status) {
        const shipment = shipments.get(status[1]!);
        if (!shipment) return reply(404, { error: 'unknown_shipment' });
        shipment.polls += 1;
        if (shipment.polls <= pollsBeforeShipped) return reply(200, { status: 'picking' });
        return reply(200, { status: 'shipped', trackingNumber: `TRK-${shipment.orderId}` });
      }
      return reply(404, { error: 'not_found' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    paymentUrl: `${base}/payment`,
    inventoryUrl: `${base}/inventory`,
    calls,
    callsTo: (prefix) => calls.filter((call) => `${call.method} ${call.path}`.startsWith(prefix)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const services = await startFakeServices({ port: Number(process.env['FAKE_SERVICES_PORT'] ?? 8089) });
  console.log(`PAYMENT_URL=${services.paymentUrl}`);
  console.log(`INVENTORY_URL=${services.inventoryUrl}`);
}
