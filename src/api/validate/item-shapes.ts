// Shapes of the legacy and expression parameters item operations share.
import { attributeMap, attributeValue, list, map, str, struct, type Shape } from './shape.js';

export const expected: Shape = map(
  struct('ExpectedAttributeValue', [
    ['AttributeValueList', list(attributeValue())],
    ['ComparisonOperator', str({ oneOf: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'] })],
    ['Exists', { kind: 'boolean' }],
    ['Value', attributeValue()],
  ]),
  'com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue',
);
export const conditionalOperator = str({ oneOf: ['OR', 'AND'] });
export const expressionAttributeValues = attributeMap();
export const expressionAttributeNames = map(str(), 'java.lang.String');

/** QueryFilter, ScanFilter and KeyConditions: attribute name → Condition. */
export const legacyConditions: Shape = map(
  struct('Condition', [
    ['AttributeValueList', list(attributeValue())],
    ['ComparisonOperator', str({ notNull: true, oneOf: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'] })],
  ]),
  'com.amazonaws.dynamodb.v20120810.Condition',
);
export const select = str({ oneOf: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] });
