// An infrastructure file's text as plain JSON values: JSON as it is, YAML with CloudFormation's
// short-form intrinsic tags (`!Ref X`, `!GetAtt T.Arn`, `!Sub …`, `!If [...]`, …) turned into their
// long forms (`{ "Ref": "X" }`, `{ "Fn::GetAtt": ["T", "Arn"] }`, …), as CloudFormation reads them.
import { parse, type Tags } from 'yaml';
import { DeployError } from './deploy-error.js';

/** The functions written `!Name` for `Fn::Name`. */
const functions = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform', 'ToJsonString', 'Length',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    // `!GetAtt Table.StreamArn`: the logical id, then the attribute (which may itself hold dots).
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const shortForms: Tags = ['Ref', 'Condition', 'GetAtt', ...functions].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => longForm(name, value.toJSON()) },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => longForm(name, value.toJSON()) },
]);

/** Reads a template's text: JSON when it looks like JSON, YAML (with the short forms) otherwise. */
export function parseTemplateText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new DeployError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    // CloudFormation's YAML is 1.1-flavoured in places, but its templates read the same under 1.2's core schema.
    return parse(text, { customTags: shortForms, uniqueKeys: true, maxAliasCount: 1000 });
  } catch (error) {
    throw new DeployError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
}
