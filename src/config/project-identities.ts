// The project file's `iam` section: users, with an access key of their own choosing and inline
// policies, made (or brought up to date) when the server starts — local setups and CI declare the
// identities their code signs as, instead of scripting IAM calls. Checked here: names as IAM takes
// them, keys, and each policy against the policy grammar; a mistake names the field.
import { parsePolicy } from '../iam/policy.js';
import { ConfigError } from '../triggers/trigger-config.js';
import type { DeclaredIdentities, DeclaredUser } from '../model/declared-identities.js';

export type { DeclaredIdentities, DeclaredUser } from '../model/declared-identities.js';

const namePattern = /^[\w+=,.@-]{1,64}$/;
const keyIdPattern = /^[A-Z0-9]{16,128}$/;

export function parseIdentities(value: unknown): DeclaredIdentities {
  if (value === undefined) return { users: [] };
  if (!isObject(value)) throw new ConfigError('iam: must be an object with a users list');
  for (const key of Object.keys(value)) if (key !== 'users') throw new ConfigError(`iam.${key}: unknown field (known: users)`);
  const users = value['users'] ?? [];
  if (!Array.isArray(users)) throw new ConfigError('iam.users: must be a list');
  const seen = new Set<string>();
  return {
    users: users.map((raw, i): DeclaredUser => {
      const at = `iam.users[${i}]`;
      if (!isObject(raw)) throw new ConfigError(`${at}: must be an object`);
      for (const key of Object.keys(raw)) if (!['name', 'accessKeyId', 'secretAccessKey', 'policies'].includes(key)) throw new ConfigError(`${at}.${key}: unknown field (known: name, accessKeyId, secretAccessKey, policies)`);
      const name = raw['name'];
      if (typeof name !== 'string' || !namePattern.test(name)) throw new ConfigError(`${at}.name: must be 1 to 64 of letters, digits and +=,.@_-`);
      if (seen.has(name.toLowerCase())) throw new ConfigError(`${at}.name: ${name} is declared twice`);
      seen.add(name.toLowerCase());
      const id = raw['accessKeyId'];
      const secret = raw['secretAccessKey'];
      if ((id === undefined) !== (secret === undefined)) throw new ConfigError(`${at}: accessKeyId and secretAccessKey go together`);
      if (id !== undefined && (typeof id !== 'string' || !keyIdPattern.test(id))) throw new ConfigError(`${at}.accessKeyId: must be 16 to 128 upper-case letters and digits`);
      if (secret !== undefined && (typeof secret !== 'string' || secret.length < 8)) throw new ConfigError(`${at}.secretAccessKey: must be a string of at least 8 characters`);
      const policies = raw['policies'] ?? {};
      if (!isObject(policies)) throw new ConfigError(`${at}.policies: must map policy names to documents`);
      return {
        name,
        ...(typeof id === 'string' && typeof secret === 'string' ? { accessKey: { id, secret } } : {}),
        policies: Object.entries(policies).map(([policyName, document]) => {
          const text = typeof document === 'string' ? document : JSON.stringify(document);
          try {
            parsePolicy(text, 'identity');
          } catch (error) {
            throw new ConfigError(`${at}.policies.${policyName}: ${(error as Error).message}`);
          }
          return { name: policyName, document: text };
        }),
      };
    }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
