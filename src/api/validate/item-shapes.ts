// Shapes of the legacy and expression parameters item operations share.
import { attributeMap, attributeValue, bool, list, map, str, struct } from './shape.js';

export const comparisonOperators = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'] as const;

export const expected = map(
  struct('ExpectedAttributeValue', [
    ['AttributeValueList', list(attributeValue())],
    ['ComparisonOperator', str({ oneOf: comparisonOperators })],
    ['Exists', bool()],
    ['Value', attributeValue()],
  ]),
  'com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue',
);
export const conditionalOperator = str({ oneOf: ['OR', 'AND'] });
export const expressionAttributeValues = attributeMap();
export const expressionAttributeNames = map(str(), 'java.lang.String');

/** QueryFilter, ScanFilter and KeyConditions: attribute name → Condition. */
export const legacyConditions = map(
  struct('Condition', [
    ['AttributeValueList', list(attributeValue())],
    ['ComparisonOperator', str({ notNull: true, oneOf: comparisonOperators })],
  ]),
  'com.amazonaws.dynamodb.v20120810.Condition',
);
export const select = str({ oneOf: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] });
