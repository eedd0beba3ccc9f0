// A CloudFormation template's Parameters (with --parameter values and their constraints checked as
// CloudFormation checks them), pseudo parameters, Mappings and Conditions: the scope its intrinsic
// functions are evaluated in. Resources' references are added by the stack reader.
import { refuse, type Where } from './deploy-error.js';
import { isObject } from './desired-state.js';
import { evaluateCondition, type Scope } from './intrinsics.js';

export interface StackIdentity {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

/** The pseudo parameters CloudFormation defines, for this stack. */
export function pseudoParameters(stack: StackIdentity): Map<string, string | readonly string[]> {
  return new Map<string, string | readonly string[]>([
    ['AWS::Region', stack.region], ['AWS::AccountId', stack.accountId], ['AWS::StackName', stack.stackName],
    ['AWS::StackId', `arn:aws:cloudformation:${stack.region}:${stack.accountId}:stack/${stack.stackName}/stratusdb`],
    ['AWS::Partition', 'aws'], ['AWS::URLSuffix', 'amazonaws.com'], ['AWS::NotificationARNs', []],
  ]);
}

/** The template's parameters' values: given ones, else defaults; each checked against its constraints. */
export function parameterValues(declared: unknown, given: ReadonlyMap<string, string>, where: Where): Map<string, string | readonly string[]> {
  const out = new Map<string, string | readonly string[]>();
  const parameters = declared === undefined ? {} : declared;
  if (!isObject(parameters)) throw refuse(where, 'Parameters', 'must be a map of parameter names to declarations');
  const unknown = [...given.keys()].filter((name) => !(name in parameters));
  if (unknown.length > 0) throw refuse(where, 'Parameters', `[${unknown.join(', ')}] do not exist in the template`);
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(parameters)) {
    if (!isObject(spec)) throw refuse(where, `Parameters.${name}`, 'must be a map with a Type');
    const type = String(spec['Type'] ?? '');
    const raw = given.get(name) ?? (spec['Default'] === undefined ? undefined : String(Array.isArray(spec['Default']) ? spec['Default'].join(',') : spec['Default']));
    if (raw === undefined) {
      missing.push(name);
      continue;
    }
    const at = `Parameters.${name}`;
    checkParameter(raw, type, spec, (message) => refuse(where, at, message));
    out.set(name, type.startsWith('List<') || type === 'CommaDelimitedList' ? raw.split(',').map((v) => v.trim()) : raw);
  }
  if (missing.length > 0) throw refuse(where, 'Parameters', `[${missing.join(', ')}] must have values (give them with --parameter NAME=VALUE)`);
  return out;
}

function checkParameter(value: string, type: string, spec: Record<string, unknown>, fail: (message: string) => Error): void {
  // AWS-specific types (AWS::EC2::…, AWS::SSM::Parameter::Value<…>) are taken as strings: an SSM
  // parameter's value is its --parameter value, else its Default (the parameter's name; the CDK's
  // BootstrapVersion is one such, read only by the template's Rules, which deploy does not check).
  if (!['String', 'Number', 'CommaDelimitedList', 'List<Number>'].includes(type) && !type.startsWith('AWS::') && !type.startsWith('List<AWS::')) throw fail(`Type ${type} is not a parameter type`);
  const values = type === 'String' || type === 'Number' || type.startsWith('AWS::') ? [value] : value.split(',').map((v) => v.trim());
  for (const v of values) {
    if ((type === 'Number' || type === 'List<Number>') && (v === '' || !Number.isFinite(Number(v)))) throw fail(`'${v}' is not a number`);
    const allowed = spec['AllowedValues'];
    if (Array.isArray(allowed) && !allowed.map(String).includes(v)) throw fail(`'${v}' is not one of the AllowedValues [${allowed.map(String).join(', ')}]`);
    const pattern = spec['AllowedPattern'];
    if (typeof pattern === 'string' && !new RegExp(`^(?:${pattern})$`).test(v)) throw fail(`'${v}' does not match the AllowedPattern ${pattern}`);
    const minLength = spec['MinLength'];
    const maxLength = spec['MaxLength'];
    if (minLength !== undefined && v.length < Number(minLength)) throw fail(`'${v}' is shorter than the MinLength ${String(minLength)}`);
    if (maxLength !== undefined && v.length > Number(maxLength)) throw fail(`'${v}' is longer than the MaxLength ${String(maxLength)}`);
    const minValue = spec['MinValue'];
    const maxValue = spec['MaxValue'];
    if (minValue !== undefined && Number(v) < Number(minValue)) throw fail(`${v} is below the MinValue ${String(minValue)}`);
    if (maxValue !== undefined && Number(v) > Number(maxValue)) throw fail(`${v} is above the MaxValue ${String(maxValue)}`);
  }
}

/** The template's conditions, each evaluated once, on first use; a condition that refers back to itself is refused. */
export function conditionsOf(declared: unknown, scopeOf: () => Scope, where: Where): (name: string) => boolean {
  const conditions = declared === undefined ? {} : declared;
  if (!isObject(conditions)) throw refuse(where, 'Conditions', 'must be a map of condition names to conditions');
  const values = new Map<string, boolean>();
  const evaluating = new Set<string>();
  return (name) => {
    const known = values.get(name);
    if (known !== undefined) return known;
    if (!(name in conditions)) throw refuse(where, 'Conditions', `${name} is not a condition of the template`);
    if (evaluating.has(name)) throw refuse(where, `Conditions.${name}`, 'refers back to itself');
    evaluating.add(name);
    const value = evaluateCondition(conditions[name], scopeOf(), `Conditions.${name}`);
    evaluating.delete(name);
    values.set(name, value);
    return value;
  };
}
