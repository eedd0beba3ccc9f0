// The table (and index) an IAM resource ARN names — `arn:aws:dynamodb:REGION:ACCOUNT:table/T[/index/I]` —
// as the admit and metrics stages read them from a request's permissions.

/** The table and index `resource` names; undefined for any other resource. */
export function tableOfResource(resource: string): { readonly table: string; readonly index?: string } | undefined {
  const match = /:table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(resource);
  if (match === null) return undefined;
  return match[2] === undefined ? { table: match[1] as string } : { table: match[1] as string, index: match[2] };
}
