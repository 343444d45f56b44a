// A Temporal frontend that answers the calls a client makes to connect and then stalls on the
// ones a test chooses: the shape of a server that goes quiet in the middle of an export (an
// overloaded frontend, a network path that drops packets without resetting). Calls it stalls are
// never answered; the test's client must give up by its own deadline.

import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';

const v1 = temporal.api.workflowservice.v1;

export interface StallingFrontend {
  address: string;
  /** Calls received, by method name. */
  calls: Map<string, number>;
  stop(): Promise<void>;
}

export interface StallingFrontendOptions {
  /** Executions a ListWorkflowExecutions call returns; `stall` never answers it. */
  list: { workflowId: string; runId: string; type: string }[] | 'stall';
  /** Always stalls: the server stopped answering after the listing. */
  stallHistory: true;
}

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

export async function startStallingFrontend(options: StallingFrontendOptions): Promise<StallingFrontend> {
  const calls = new Map<string, number>();
  const stalled: sendUnaryData<unknown>[] = [];
  const method = <Req, Res>(name: string, request: Codec<Req>, response: Codec<Res>) => ({
    path: `/temporal.api.workflowservice.v1.WorkflowService/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (message: Req) => Buffer.from(request.encode(message).finish()),
    requestDeserialize: (bytes: Buffer) => request.decode(bytes),
    responseSerialize: (message: Res) => Buffer.from(response.encode(message).finish()),
    responseDeserialize: (bytes: Buffer) => response.decode(bytes),
  });
  const definition = {
    GetSystemInfo: method('GetSystemInfo', v1.GetSystemInfoRequest, v1.GetSystemInfoResponse),
    ListWorkflowExecutions: method('ListWorkflowExecutions', v1.ListWorkflowExecutionsRequest, v1.ListWorkflowExecutionsResponse),
    GetWorkflowExecutionHistory: method('GetWorkflowExecutionHistory', v1.GetWorkflowExecutionHistoryRequest, v1.GetWorkflowExecutionHistoryResponse),
  };
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const implementation: UntypedServiceImplementation = {
    GetSystemInfo(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      count('GetSystemInfo');
      callback(null, v1.GetSystemInfoResponse.create({ serverVersion: '1.0.0-stalling' }));
    },
    ListWorkflowExecutions(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      count('ListWorkflowExecutions');
      if (options.list === 'stall') return void stalled.push(callback);
      callback(
        null,
        v1.ListWorkflowExecutionsResponse.create({
          executions: options.list.map((e) => ({ execution: { workflowId: e.workflowId, runId: e.runId }, type: { name: e.type } })),
        }),
      );
    },
    GetWorkflowExecutionHistory(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      count('GetWorkflowExecutionHistory');
      stalled.push(callback);
    },
  };
  const server = new Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls,
    async stop() {
      for (const callback of stalled.splice(0)) callback({ code: status.UNAVAILABLE, details: 'test server stopping' });
      server.forceShutdown();
    },
  };
}
