// The triggers of one server: builds each trigger's invokers and runner once the server listens (the
// handlers' SDK calls need its endpoint), reports their status, and stops them with the server.
import { dirname } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { failureSender } from './failure-destination.js';
import { functionArn, lambdaEnvironment, type FunctionContext, type Invoker } from './invoker.js';
import { RuntimeApiInvoker } from './runtime-api-invoker.js';
import type { TriggerDefinition } from './trigger-config.js';
import { TriggerRunner } from './trigger-runner.js';
import { importableHandler } from './typescript-loader.js';
import { WebhookInvoker } from './webhook-invoker.js';
import { WorkerInvoker } from './worker-invoker.js';

export interface TriggerStatus {
  readonly name: string;
  readonly table: string;
  readonly region: string;
  readonly handler: string;
  readonly state: 'Enabled' | 'Disabled';
  readonly lastProcessingResult: string;
  readonly streamArn: string | null;
  readonly iteratorAgeMs: number;
  readonly invocations: number;
  readonly errors: number;
  readonly retries: number;
  readonly recordsDelivered: number;
  readonly recordsFiltered: number;
  readonly recordsDiscarded: number;
}

export interface TriggerServiceOptions {
  readonly engine: Engine;
  readonly endpoint: string;
  readonly log: (line: string) => void;
  /** First retry delay after a failed invocation; doubles per retry (default 100 ms). */
  readonly retryBaseMs: number;
}

export class TriggerService {
  private readonly runners: TriggerRunner[];

  constructor(definitions: readonly TriggerDefinition[], private readonly options: TriggerServiceOptions) {
    const checkpoints = options.engine.streams.checkpoints;
    this.runners = definitions.map((def) => {
      const log = (line: string): void => options.log(`[trigger ${def.name}] ${line}`);
      const arn = functionArn(def, options.engine.options.accountId);
      const fn: FunctionContext = { name: def.name, arn, timeoutSeconds: def.timeoutSeconds, environment: this.environment(def), log };
      let bundle: Promise<string> | undefined;
      const moduleFile = (file: string) => (): Promise<string> => (bundle ??= importableHandler(file));
      const invoker = (): Invoker => {
        const handler = def.handler;
        switch (handler.kind) {
          case 'module': {
            const worker = new WorkerInvoker(fn, moduleFile(handler.file), handler.exportName);
            worker.warm();
            return worker;
          }
          case 'process': {
            const program = new RuntimeApiInvoker(fn, handler.command, handler.cwd);
            program.warm();
            return program;
          }
          case 'webhook':
            return new WebhookInvoker(fn, handler.url);
        }
      };
      return new TriggerRunner(def, {
        engine: options.engine,
        checkpoints,
        functionArn: arn,
        invoker,
        ...(def.destinationOnFailure === undefined ? {} : { sendFailure: failureSender(def.destinationOnFailure, options.engine) }),
        log,
        retryBaseMs: options.retryBaseMs,
      });
    });
  }

  start(): void {
    for (const runner of this.runners) runner.start();
  }

  status(): TriggerStatus[] {
    return this.runners.map((r) => ({
      name: r.def.name,
      table: r.def.table,
      region: r.def.region,
      handler: describeHandler(r.def),
      state: r.state,
      lastProcessingResult: r.lastProcessingResult,
      streamArn: r.streamArn ?? null,
      iteratorAgeMs: r.iteratorAgeMs(),
      ...r.stats,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  private environment(def: TriggerDefinition): Record<string, string> {
    const handler = def.handler;
    const extra: Record<string, string> =
      handler.kind === 'module'
        ? { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', LAMBDA_TASK_ROOT: dirname(handler.file), _HANDLER: `${handler.file}#${handler.exportName}` }
        : handler.kind === 'process'
          ? { AWS_EXECUTION_ENV: `AWS_Lambda_${handler.runtime}`, LAMBDA_TASK_ROOT: handler.cwd, _HANDLER: handler.handler, TZ: ':UTC' }
          : {};
    return lambdaEnvironment(def, this.options.endpoint, process.env, extra);
  }
}

function describeHandler(def: TriggerDefinition): string {
  const h = def.handler;
  switch (h.kind) {
    case 'module':
      return `${h.file}#${h.exportName}`;
    case 'process':
      return `${h.runtime} ${h.handler}`;
    case 'webhook':
      return h.url;
  }
}
