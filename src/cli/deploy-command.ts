// `stratusdb deploy FILE`: reads the file (deploy/), plans each of its stacks against the running
// server, prints the plan, and — unless --plan — applies it, printing each step as it starts. Exit 0
// when applied (or planned), 1 when refused, with the file, resource and property named.
import type { DeployCommand } from '../config/cli-args.js';
import { ApiFailure, deploymentTarget, type DeployApi } from '../deploy/deploy-api.js';
import { DeployError } from '../deploy/deploy-error.js';
import { loadTemplates } from '../deploy/deploy-files.js';
import { planText } from '../deploy/plan-text.js';
import { applyStack, hasChanges, planStack, stackRecord } from '../deploy/stack-plan.js';
import { readStack, workDirOf } from '../deploy/stack-template.js';
import type { Json } from '../deploy/desired-state.js';
import { ApiClient, ApiError } from './api-client.js';

/** The running server, through the signed client, one per region. */
function serverApi(endpoint: string, env: Readonly<Record<string, string | undefined>>): DeployApi {
  const clients = new Map<string, ApiClient>();
  return {
    async call<T>(region: string, operation: string, body: Json, target?: string): Promise<T> {
      let client = clients.get(region);
      if (client === undefined) {
        client = new ApiClient(endpoint, { ...env, AWS_REGION: region, AWS_DEFAULT_REGION: region });
        clients.set(region, client);
      }
      try {
        return await client.call<T>(operation, body, target);
      } catch (error) {
        if (error instanceof ApiError) throw new ApiFailure(error.type, error.message);
        throw error;
      }
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export async function runDeploy(command: DeployCommand, endpoint: string, env: Readonly<Record<string, string | undefined>>, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const api = serverApi(endpoint, env);
  try {
    const region = command.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    const { AccountId: accountId } = await api.call<{ AccountId: string }>(region, 'DescribeAccount', {}, deploymentTarget);
    const templates = loadTemplates({
      file: command.file, parameters: command.parameters, env, accountId,
      ...(command.stackName === undefined ? {} : { stackName: command.stackName }), ...(command.region === undefined ? {} : { region: command.region }), ...(command.stage === undefined ? {} : { stage: command.stage }),
    });
    for (const loaded of templates) {
      const previous = await stackRecord(api, loaded.region, loaded.stackName);
      const stack = readStack(loaded.template, {
        file: loaded.file, baseDir: loaded.baseDir, stackName: loaded.stackName, region: loaded.region, accountId, parameters: loaded.parameters,
        previousTables: previous?.Tables ?? {}, workDir: workDirOf(loaded.file, loaded.stackName),
      });
      const plan = await planStack(api, stack, accountId, command.prune);
      out(planText(plan));
      if (command.plan) continue;
      if (!hasChanges(plan)) {
        if (plan.recordChanged) await applyStack(api, plan, () => undefined);
        continue;
      }
      await applyStack(api, plan, (line) => out(`  … ${line}\n`));
      out(`Applied stack ${stack.name}.\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DeployError) err(`stratusdb deploy: ${error.message}\n`);
    else if (error instanceof ApiFailure) err(`stratusdb deploy: ${error.type}: ${error.message}\n`);
    else throw error;
    return 1;
  }
}
