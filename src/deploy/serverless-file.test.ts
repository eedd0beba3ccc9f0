// A serverless.yml's variables resolved as the Serverless Framework resolves them, and its functions' stream events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readServerless } from './serverless-file.js';
import { parseTemplateText } from './template-text.js';

function read(yaml: string, options: Record<string, string> = {}, env: Record<string, string> = {}): ReturnType<typeof readServerless> {
  return readServerless(parseTemplateText(yaml, 'serverless.yml'), { file: 'serverless.yml', options: new Map(Object.entries(options)), env, accountId: '123456789012', defaultRegion: 'us-east-1' });
}

const service = `service: shop
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
  region: \${env:SHOP_REGION, 'eu-west-1'}
custom:
  tables:
    dev: Orders-dev
    prod: Orders-live
  table: \${self:custom.tables.\${sls:stage}}
functions:
  sync:
    handler: src/sync.handler
    events:
      - stream:
          arn: !GetAtt Orders.StreamArn
          batchSize: 5
          filterPatterns:
            - eventName: [INSERT]
          destinations:
            onFailure: arn:aws:dynamodb:eu-west-1:123456789012:table/Failures
resources:
  Resources:
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: \${self:custom.table}
        Region: \${aws:region}
        Account: \${aws:accountId}
`;

describe('serverless.yml', () => {
  it('resolves self, sls, opt, env and aws variables, nested and with fallbacks', () => {
    const dev = read(service);
    assert.deepEqual([dev.stackName, dev.stage, dev.region], ['shop-dev', 'dev', 'eu-west-1']);
    assert.deepEqual((dev.template['Resources'] as Record<string, { Properties: unknown }>)['Orders']?.Properties, { TableName: 'Orders-dev', Region: 'eu-west-1', Account: '123456789012' });
    const prod = read(service, { stage: 'prod' }, { SHOP_REGION: 'us-west-2' });
    assert.deepEqual([prod.stackName, prod.region], ['shop-prod', 'us-west-2']);
    assert.equal((prod.template['Resources'] as Record<string, { Properties: { TableName: string } }>)['Orders']?.Properties.TableName, 'Orders-live');
  });

  it('makes each function with stream events a function with DynamoDB events, named <service>-<stage>-<key>', () => {
    const fn = (read(service).template['Resources'] as Record<string, unknown>)['SyncLambdaFunction'];
    assert.deepEqual(fn, {
      Type: 'AWS::Serverless::Function',
      Properties: {
        FunctionName: 'shop-dev-sync', Handler: 'src/sync.handler', Runtime: 'nodejs20.x',
        Events: {
          Stream0: {
            Type: 'DynamoDB',
            Properties: {
              Stream: { 'Fn::GetAtt': ['Orders', 'StreamArn'] }, StartingPosition: 'TRIM_HORIZON', BatchSize: 5,
              FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
              DestinationConfig: { OnFailure: { Destination: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Failures' } },
            },
          },
        },
      },
    });
  });

  it('refuses a variable without a value and a source it does not serve, naming where', () => {
    assert.throws(() => read(service.replace("${opt:stage, 'dev'}", '${opt:stage}')), { message: "serverless.yml: provider.stage: ${opt:stage} has no value (give it, or a fallback: ${opt:stage, 'default'})" });
    assert.throws(() => read(service.replace('${aws:accountId}', '${ssm:/shop/account}')), { message: 'serverless.yml: resources.Resources.Orders.Properties.Account: ${ssm:/shop/account}: the ssm: variable source is not served (self, sls, opt, env and aws are)' });
  });
});
