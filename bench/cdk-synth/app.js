// The stack bedrock-settings synthesizes with both destinations, written with
// CDK's L2 constructs the way an MDAA-style CDK module would be: a
// customer-managed key, an S3 bucket and a log group encrypted with it, the
// role Bedrock assumes to write to them, and a custom resource (the provider
// framework, as MDAA's modules use it) whose handler turns logging on. It is
// a baseline for timing `cdk synth`; its handler is a placeholder, because
// the template is timed, never deployed.
"use strict";

const cdk = require("aws-cdk-lib");
const { Construct } = require("constructs");
const iam = cdk.aws_iam;
const kms = cdk.aws_kms;
const s3 = cdk.aws_s3;
const logs = cdk.aws_logs;
const lambda = cdk.aws_lambda;
const ssm = cdk.aws_ssm;
const cr = cdk.custom_resources;

class BedrockSettings extends Construct {
  constructor(scope, id) {
    super(scope, id);
    const stack = cdk.Stack.of(this);
    const key = new kms.Key(this, "Key", {
      enableKeyRotation: true,
      alias: "bedrock-settings",
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));

    const bucket = new s3.Bucket(this, "Bucket", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
      lifecycleRules: [{ noncurrentVersionExpiration: cdk.Duration.days(90) }],
    });
    const logGroup = new logs.LogGroup(this, "Logs", {
      encryptionKey: key,
      retention: logs.RetentionDays.TEN_YEARS,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    const condition = {
      StringEquals: { "aws:SourceAccount": stack.account },
      ArnLike: { "aws:SourceArn": `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:*` },
    };
    const role = new iam.Role(this, "ServiceRole", {
      assumedBy: new iam.ServicePrincipal("bedrock.amazonaws.com").withConditions(condition),
    });
    logGroup.grantWrite(role);
    bucket.grantPut(role);
    key.grantEncryptDecrypt(role);

    const onEvent = new lambda.Function(this, "Handler", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "index.handler",
      code: lambda.Code.fromInline("def handler(event, context):\n    return {}\n"),
      timeout: cdk.Duration.minutes(5),
    });
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          "bedrock:PutModelInvocationLoggingConfiguration",
          "bedrock:GetModelInvocationLoggingConfiguration",
          "bedrock:DeleteModelInvocationLoggingConfiguration",
        ],
        resources: ["*"],
      }),
    );
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ["iam:PassRole"], resources: [role.roleArn] }));
    const provider = new cr.Provider(this, "Provider", { onEventHandler: onEvent });
    const logging = new cdk.CustomResource(this, "InvocationLogging", {
      serviceToken: provider.serviceToken,
      resourceType: "Custom::logs-model-invocation",
      properties: {
        roleArn: role.roleArn,
        bucketName: bucket.bucketName,
        logGroupName: logGroup.logGroupName,
      },
    });
    logging.node.addDependency(role);

    for (const [name, value] of [
      ["kms/arn", key.keyArn],
      ["bucket/name", bucket.bucketName],
      ["bucket/arn", bucket.bucketArn],
      ["loggroup/name", logGroup.logGroupName],
      ["loggroup/arn", logGroup.logGroupArn],
      ["role/arn", role.roleArn],
    ]) {
      new ssm.StringParameter(this, `Param-${name.replace("/", "-")}`, {
        parameterName: `/org/domain/bedrock-settings/${name}`,
        stringValue: value,
      });
    }
  }
}

const app = new cdk.App();
const stack = new cdk.Stack(app, "bedrock-settings");
new BedrockSettings(stack, "BedrockSettings");
app.synth();
