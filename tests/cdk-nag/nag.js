#!/usr/bin/env node
// Runs cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs
// over CloudFormation templates, each imported into a CDK app of its own with
// cloudformation-include, as a user of the template would run them.
//
//   node nag.js TEMPLATE.json...
//
// Prints one JSON document on stdout: the packs, and for each template every rule
// result cdk-nag logged, suppressed or not, so that the caller can fail on each
// finding and on each recorded suppression that no finding needed. The exit status
// is 0 whenever every template was evaluated, whatever the findings; 2 on bad usage
// or a template that cannot be imported.
//
// cdk-nag 2.x reads suppressions from each resource's Metadata
// (`cdk_nag.rules_to_suppress`), which CfnInclude keeps: that is where the templates
// record their exceptions. (cdk-nag 3 takes acknowledgements only from CDK code.)
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Aspects, Stack } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const nag = require('cdk-nag');

const PACKS = [
  nag.AwsSolutionsChecks,
  nag.NIST80053R5Checks,
  nag.HIPAASecurityChecks,
  nag.PCIDSS321Checks,
];

// Collects what cdk-nag decides for each rule and resource.
class Collector {
  constructor() {
    this.results = [];
    this.evaluated = {};
  }

  add(outcome, data, extra) {
    this.results.push({
      outcome,
      pack: data.nagPackName,
      rule: data.ruleId,
      level: data.ruleLevel,
      // CfnInclude names each construct after the resource's logical ID.
      resource: data.resource.node.id,
      info: data.ruleInfo,
      ...extra,
    });
  }

  count(data) {
    this.evaluated[data.nagPackName] = (this.evaluated[data.nagPackName] || 0) + 1;
  }

  onCompliance(data) {
    this.count(data);
  }

  onNotApplicable(data) {
    this.count(data);
  }

  onNonCompliance(data) {
    this.count(data);
    this.add('finding', data, { finding: data.findingId });
  }

  onSuppressed(data) {
    this.count(data);
    this.add('suppressed', data, { finding: data.findingId, reason: data.suppressionReason });
  }

  onError(data) {
    this.count(data);
    this.add('rule-error', data, { finding: '', error: data.errorMessage });
  }

  onSuppressedError(data) {
    this.count(data);
    this.add('suppressed-rule-error', data, {
      finding: '',
      error: data.errorMessage,
      reason: data.errorSuppressionReason,
    });
  }
}

function evaluate(templatePath, outdir) {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Imported');
  new CfnInclude(stack, 'Template', { templateFile: templatePath });
  const collector = new Collector();
  const packs = PACKS.map((Pack) => new Pack({ reports: false, additionalLoggers: [collector] }));
  for (const pack of packs) {
    Aspects.of(app).add(pack);
  }
  app.synth();
  return {
    template: templatePath,
    packs: packs.map((pack) => pack.readPackName),
    evaluated: collector.evaluated,
    results: collector.results,
  };
}

function main(argv) {
  const templates = argv.slice(2);
  if (templates.length === 0) {
    process.stderr.write('usage: node nag.js TEMPLATE.json...\n');
    return 2;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-'));
  try {
    const report = templates.map((template) => {
      try {
        return evaluate(path.resolve(template), outdir);
      } catch (error) {
        throw new Error(`${template}: could not be imported and checked: ${error.message}`);
      }
    });
    process.stdout.write(JSON.stringify({ templates: report }, null, 1) + '\n');
    return 0;
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv);
