'use strict';
// The console-login-alarms stack written with CDK v2's L2 constructs, for comparison.
// Run with `node app.js`; the template is written to cdk.out/ConsoleLoginAlarms.template.json
// (or under $CDK_OUTDIR).

const fs = require('fs');
const path = require('path');

// aws-cdk-lib and constructs are those of the cdk-nag test app (installed by test.sh);
// yaml is the copy aws-cdk-lib bundles.
const nodeModules = path.resolve(__dirname, '../../../tests/cdk-nag/node_modules');
const load = (name, from = nodeModules) => require(require.resolve(name, { paths: [from] }));
const cdk = load('aws-cdk-lib');
const YAML = load('yaml', path.join(nodeModules, 'aws-cdk-lib'));
const { ArnFormat, Aws, Duration, RemovalPolicy, Stack } = cdk;
const {
  aws_cloudtrail: cloudtrail,
  aws_cloudwatch: cloudwatch,
  aws_cloudwatch_actions: actions,
  aws_iam: iam,
  aws_kms: kms,
  aws_logs: logs,
  aws_s3: s3,
  aws_sns: sns,
  aws_sns_subscriptions: subscriptions,
} = cdk;

const config = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'sample.yaml'), 'utf8'));
if (!Object.values(logs.RetentionDays).includes(config.logRetentionDays)) {
  throw new Error(`logRetentionDays: ${config.logRetentionDays} is not a retention CloudWatch Logs offers`);
}

const app = new cdk.App({ outdir: process.env.CDK_OUTDIR || path.join(__dirname, 'cdk.out') });
const stack = new Stack(app, 'ConsoleLoginAlarms');

const key = new kms.Key(stack, 'Key', {
  enableKeyRotation: true,
  removalPolicy: RemovalPolicy.RETAIN,
});

const bucket = new s3.Bucket(stack, 'TrailBucket', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  bucketKeyEnabled: true,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.RETAIN,
});

// Named, so that the key policy can name its ARN: the log group's own ARN attribute would
// make the key depend on the log group, which depends on the key.
const logGroupName = `/aws/cloudtrail/${config.trailName}`;
const logGroup = new logs.LogGroup(stack, 'TrailLogGroup', {
  logGroupName,
  retention: config.logRetentionDays,
  encryptionKey: key,
  removalPolicy: RemovalPolicy.RETAIN,
});

const trail = new cloudtrail.Trail(stack, 'Trail', {
  trailName: config.trailName,
  bucket,
  encryptionKey: key,
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  enableFileValidation: true,
  sendToCloudWatchLogs: true,
  cloudWatchLogGroup: logGroup,
});

// CDK's Trail, LogGroup and Topic grant nothing on a key they are given.
const cloudTrailPrincipal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: config.trailName });
key.addToResourcePolicy(new iam.PolicyStatement({
  sid: 'CloudTrailEncryptLogs',
  principals: [cloudTrailPrincipal],
  actions: ['kms:GenerateDataKey*'],
  resources: ['*'],
  conditions: {
    StringEquals: { 'aws:SourceArn': trailArn },
    StringLike: {
      'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({
        service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*',
      }),
    },
  },
}));
key.addToResourcePolicy(new iam.PolicyStatement({
  sid: 'CloudTrailDescribeKey',
  principals: [cloudTrailPrincipal],
  actions: ['kms:DescribeKey'],
  resources: ['*'],
}));
key.addToResourcePolicy(new iam.PolicyStatement({
  sid: 'CloudWatchLogsEncrypt',
  principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
  actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
  resources: ['*'],
  conditions: {
    ArnEquals: {
      'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
        service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  },
}));

const failedSignIns = logGroup.addMetricFilter('FailedConsoleSignIns', {
  filterPattern: logs.FilterPattern.literal(
    '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }',
  ),
  metricNamespace: 'CloudTrailMetrics',
  metricName: 'FailedConsoleSignIns',
  metricValue: '1',
  defaultValue: 0,
});

const alarm = new cloudwatch.Alarm(stack, 'FailedConsoleSignInsAlarm', {
  alarmDescription: `More than ${config.failedSignInsPerPeriod} failed console sign-ins in ${config.periodMinutes} minutes`,
  metric: failedSignIns.metric({
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(config.periodMinutes),
  }),
  threshold: config.failedSignInsPerPeriod,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});

const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: key, enforceSSL: true });
// The topic policy that enforceSSL writes replaces SNS's default one, so CloudWatch needs an
// explicit allow; grantPublish also grants it the key.
topic.grantPublish(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
for (const email of config.alarmEmails) {
  topic.addSubscription(new subscriptions.EmailSubscription(email));
}
alarm.addAlarmAction(new actions.SnsAction(topic));

new cdk.CfnOutput(stack, 'TrailArn', { value: trail.trailArn });
new cdk.CfnOutput(stack, 'AlarmTopicArn', { value: topic.topicArn });

app.synth();
