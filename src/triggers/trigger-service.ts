// The triggers of one server — the project file's and the deployed ones — builds each trigger's
// invokers and runner once the server listens (the handlers' SDK calls need its endpoint), reports
// their status, and stops them with the server.
import { dirname } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { failureSender } from './failure-destination.js';
import { functionArn, lambdaEnvironment, type FunctionContext, type Invoker } from './invoker.js';
import { RuntimeApiInvoker } from './runtime-api-invoker.js';
import { ConfigError, parseTrigger, type TriggerDefinition } from './trigger-config.js';
import { pythonBootstrapPath } from './python-bootstrap.js';
import type { DeployedTriggerStatus, PutTriggerOutcome, TriggerControl } from '../model/trigger-control.js';
import { TriggerRunner, type TriggerFailure } from './trigger-runner.js';
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
  /** The latest failed invocations and discarded batches, newest first. */
  readonly recentFailures: readonly TriggerFailure[];
}

export interface TriggerServiceOptions {
  readonly engine: Engine;
  /** The server's endpoint (known once it listens, before start): the handlers' SDK calls go there. */
  readonly endpoint: () => string;
  readonly log: (line: string) => void;
  /** First retry delay after a failed invocation; doubles per retry (default 100 ms). */
  readonly retryBaseMs: number;
  /** The Python interpreter for deployed python3 triggers (--python). */
  readonly python: string;
}

/** A running trigger, and the deployed definition it was made from (undefined: the project file's). */
interface Running {
  readonly runner: TriggerRunner;
  readonly deployed?: string;
}

/**
 * The triggers of the project file, fixed at start, and those `stratusdb deploy` registered
 * (engine.deployments): each deployed one is started, restarted with its new definition, or stopped
 * whenever the deployments change — here or on another node sharing the store.
 */
export class TriggerService implements TriggerControl {
  private readonly running = new Map<string, Running>();
  private readonly projectNames: ReadonlySet<string>;
  private started = false;
  /** The last reconciliation with the deployments; each waits for the one before. */
  private reconciled: Promise<void> = Promise.resolve();

  constructor(private readonly project: readonly TriggerDefinition[], private readonly options: TriggerServiceOptions) {
    this.projectNames = new Set(project.map((def) => def.name));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const def of this.project) this.launch(def, undefined);
    this.options.engine.deployments.onChange(() => void this.reconcile());
    void this.reconcile();
  }

  async put(definition: Readonly<Record<string, unknown>>, stack: string | undefined): Promise<PutTriggerOutcome> {
    const name = String(definition['name']);
    if (this.projectNames.has(name)) return { refused: `Trigger ${name} is declared by the project file; a deployed trigger needs another name` };
    try {
      this.parse(definition);
    } catch (error) {
      if (error instanceof ConfigError) return { refused: error.message };
      throw error;
    }
    const { deployments, options } = this.options.engine;
    const existed = deployments.trigger(name) !== undefined;
    const changed = await deployments.putTrigger({ name, definition, ...(stack === undefined ? {} : { stack }), updated: options.clock.now() });
    await this.reconcile();
    return { outcome: !changed ? 'unchanged' : existed ? 'updated' : 'created' };
  }

  async delete(name: string): Promise<boolean> {
    const engine = this.options.engine;
    if (!(await engine.deployments.deleteTrigger(name))) return false;
    // Stopped before its checkpoints go: a trigger made again under this name starts afresh.
    await this.reconcile();
    await engine.streams.checkpoints.forget(name);
    return true;
  }

  list(): DeployedTriggerStatus[] {
    return this.options.engine.deployments.triggers().map((t) => {
      const runner = this.running.get(t.name)?.runner;
      return {
        name: t.name, definition: JSON.stringify(t.definition), ...(t.stack === undefined ? {} : { stack: t.stack }),
        state: runner?.state ?? 'Disabled', lastProcessingResult: runner?.lastProcessingResult ?? 'PROBLEM: the definition no longer holds on this server',
      };
    });
  }

  status(): TriggerStatus[] {
    return [...this.running.values()].map(({ runner: r }) => ({
      name: r.def.name,
      table: r.def.table,
      region: r.def.region,
      handler: describeHandler(r.def),
      state: r.state,
      lastProcessingResult: r.lastProcessingResult,
      streamArn: r.streamArn ?? null,
      iteratorAgeMs: r.iteratorAgeMs(),
      ...r.stats,
      recentFailures: [...r.recentFailures],
    }));
  }

  async close(): Promise<void> {
    this.started = false;
    await this.reconciled.catch(() => undefined);
    await Promise.all([...this.running.values()].map(({ runner }) => runner.stop()));
    this.running.clear();
  }

  /** Brings the running deployed triggers in line with the deployments; resolves once they are. */
  private reconcile(): Promise<void> {
    this.reconciled = this.reconciled.then(() => this.reconcileNow()).catch((error: unknown) => this.options.log(`deployed triggers: ${(error as Error).message}`));
    return this.reconciled;
  }

  private async reconcileNow(): Promise<void> {
    if (!this.started) return;
    const wanted = new Map(this.options.engine.deployments.triggers().filter((t) => !this.projectNames.has(t.name)).map((t) => [t.name, JSON.stringify(t.definition)]));
    for (const [name, running] of [...this.running]) {
      if (running.deployed === undefined || wanted.get(name) === running.deployed) continue;
      this.running.delete(name);
      await running.runner.stop();
      this.options.log(`[trigger ${name}] stopped (${wanted.has(name) ? 'redeployed' : 'deleted'})`);
    }
    for (const [name, text] of wanted) {
      if (this.running.has(name)) continue;
      let def: TriggerDefinition;
      try {
        def = this.parse(JSON.parse(text) as Record<string, unknown>);
      } catch (error) {
        this.options.log(`[trigger ${name}] not started: ${(error as Error).message}`);
        continue;
      }
      this.launch(def, text);
      this.options.log(`[trigger ${name}] deployed on ${def.table}`);
    }
  }

  /** A deployed definition checked as the project file's triggers are (its paths are absolute). */
  private parse(definition: Readonly<Record<string, unknown>>): TriggerDefinition {
    return parseTrigger(definition, 'Definition', { baseDir: '/', python: this.options.python, pythonBootstrap: pythonBootstrapPath });
  }

  private launch(def: TriggerDefinition, deployed: string | undefined): void {
    const options = this.options;
    const checkpoints = options.engine.streams.checkpoints;
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
    const runner = new TriggerRunner(def, {
      engine: options.engine,
      checkpoints,
      functionArn: arn,
      invoker,
      ...(def.destinationOnFailure === undefined ? {} : { sendFailure: failureSender(def.destinationOnFailure, options.engine) }),
      log,
      retryBaseMs: options.retryBaseMs,
    });
    this.running.set(def.name, { runner, ...(deployed === undefined ? {} : { deployed }) });
    runner.start();
  }

  private environment(def: TriggerDefinition): Record<string, string> {
    const handler = def.handler;
    const extra: Record<string, string> =
      handler.kind === 'module'
        ? { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', LAMBDA_TASK_ROOT: dirname(handler.file), _HANDLER: `${handler.file}#${handler.exportName}` }
        : handler.kind === 'process'
          ? { AWS_EXECUTION_ENV: `AWS_Lambda_${handler.runtime}`, LAMBDA_TASK_ROOT: handler.cwd, _HANDLER: handler.handler, TZ: ':UTC' }
          : {};
    return lambdaEnvironment(def, this.options.endpoint(), process.env, extra);
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
