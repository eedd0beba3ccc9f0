// DynamoDB's attribute value in its wire shape ({"S": "x"}, {"N": "1"}, …), as the engine holds it.
// Values reaching the engine are validated and normalised (see api/validate/attribute-value.ts).

export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] }
  | { readonly L: readonly AttributeValue[] }
  | { readonly M: AttributeMap };

export type AttributeMap = { readonly [name: string]: AttributeValue };

export type ScalarKeyType = 'S' | 'N' | 'B';

export const attributeTypes = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const;
export type AttributeType = (typeof attributeTypes)[number];

/** The single type tag of a validated attribute value. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error('attribute value without a type');
}
