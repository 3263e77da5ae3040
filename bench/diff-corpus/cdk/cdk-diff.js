// CDK's template diff as a worker for the corpus comparison: reads one request
// per line on stdin ({"id", "old", "new"}: two template files), answers one
// line of JSON per request on stdout, in the same order.
//
// Templates are read the way `cdk diff --template` reads them: JSON, or YAML
// with CloudFormation's short forms through CDK's own YAML reader. The diff is
// `fullDiff` without a change set (as `cdk diff` runs offline). Per resource it
// reports the change, its impact, the properties and attributes that differ
// (and which of those are listed only because a replaced resource they read
// gets a new value: `follow_on`),
// and the IAM and security-group changes CDK attributes to that resource
// (`TemplateDiff` computes them from the resource differences it holds, so a
// diff of that one resource gives exactly its share).
//
// One process serves many pairs so that Node.js and CDK's service database
// load once: before its first answer the worker diffs a one-resource pair,
// which loads the database, and writes {"ready": true, "startup_ms"} (the time
// from start to then). `parse_ms` and `diff_ms` then time each pair inside the
// process.
"use strict";

const started = process.hrtime.bigint();

const fs = require("fs");
const readline = require("readline");
const cfnDiff = require("@aws-cdk/cloudformation-diff");
const yamlCfn = require("@aws-cdk/yaml-cfn");

function readTemplate(file) {
  const text = fs.readFileSync(file, "utf-8");
  try {
    return JSON.parse(text);
  } catch (_) {
    return yamlCfn.deserialize(text);
  }
}

function change(rd) {
  if (rd.isAddition) return "added";
  if (rd.isRemoval) return "removed";
  return "modified";
}

function securityOf(logicalId, rd) {
  const one = new cfnDiff.TemplateDiff({
    resources: new cfnDiff.DifferenceCollection({ [logicalId]: rd }),
  });
  const iam = one.iamChanges;
  const sg = one.securityGroupChanges;
  return {
    iam: {
      statement_additions: iam.statements.additions.length,
      statement_removals: iam.statements.removals.length,
      managed_policy_additions: iam.managedPolicies.additions.length,
      managed_policy_removals: iam.managedPolicies.removals.length,
      broadens: iam.permissionsBroadened,
    },
    security_groups: {
      ingress_additions: sg.ingress.additions.length,
      ingress_removals: sg.ingress.removals.length,
      egress_additions: sg.egress.additions.length,
      egress_removals: sg.egress.removals.length,
      broadens: sg.rulesAdded,
    },
  };
}

function describe(diff) {
  const resources = {};
  for (const [logicalId, rd] of Object.entries(diff.resources.changes)) {
    const properties = {};
    const followOn = [];
    const oldProps = (rd.oldValue && rd.oldValue.Properties) || {};
    const newProps = (rd.newValue && rd.newValue.Properties) || {};
    for (const [name, pd] of Object.entries(rd.propertyUpdates)) {
      properties[name] = pd.changeImpact || "NO_CHANGE";
      // Listed only because a replaced resource it reads gets a new value.
      if (cfnDiff.deepEqual(oldProps[name], newProps[name])) followOn.push(name);
    }
    resources[logicalId] = {
      change: change(rd),
      old_type: rd.oldResourceType ?? null,
      new_type: rd.newResourceType ?? null,
      impact: rd.changeImpact,
      properties,
      follow_on: followOn.sort(),
      attributes: Object.keys(rd.otherChanges).sort(),
      ...securityOf(logicalId, rd),
    };
  }
  const sections = {};
  for (const name of ["parameters", "mappings", "conditions", "outputs", "metadata", "unknown"]) {
    sections[name] = diff[name].differenceCount;
  }
  for (const name of ["awsTemplateFormatVersion", "description", "transform"]) {
    sections[name] = diff[name] !== undefined && diff[name].isDifferent ? 1 : 0;
  }
  return { resources, sections };
}

function answer(request) {
  const begun = process.hrtime.bigint();
  let parsed;
  try {
    parsed = [readTemplate(request.old), readTemplate(request.new)];
  } catch (e) {
    return { id: request.id, ok: false, stage: "parse", error: String(e && e.message ? e.message : e) };
  }
  const read = process.hrtime.bigint();
  let diff;
  try {
    diff = cfnDiff.fullDiff(parsed[0] || {}, parsed[1] || {});
  } catch (e) {
    return { id: request.id, ok: false, stage: "diff", error: String(e && e.stack ? e.stack : e) };
  }
  const diffed = process.hrtime.bigint();
  let description;
  try {
    description = describe(diff);
  } catch (e) {
    return { id: request.id, ok: false, stage: "diff", error: String(e && e.stack ? e.stack : e) };
  }
  return {
    id: request.id,
    ok: true,
    parse_ms: Number(read - begun) / 1e6,
    diff_ms: Number(diffed - read) / 1e6,
    ...description,
  };
}

function warmUp() {
  const bucket = (name) => ({ Resources: { B: { Type: "AWS::S3::Bucket", Properties: { BucketName: name } } } });
  cfnDiff.fullDiff(bucket("a"), bucket("b"));
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ready: true, startup_ms: startupMs }) + "\n");
}

warmUp();
const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  if (line.trim() === "") return;
  const reply = answer(JSON.parse(line));
  process.stdout.write(JSON.stringify(reply) + "\n");
});
