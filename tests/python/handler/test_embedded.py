"""Runs the handler code exactly as the synthesized templates embed it (Code.ZipFile).

Fails, rather than skips, when no template embeds it: the templates are committed, so
their absence means that the synthesizer or this contract is broken."""

import json

from handler_support import (
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    HANDLER_PATH,
    LARGE_DATA,
    S3,
    TEMPLATES,
    Harness,
    current_config,
    load_handler,
    props,
)

KINDS = ("Text", "Image", "Embedding", "Video", "Audio")
CONTRACT = {
    "ServiceToken",
    "ServiceTimeout",  # CloudFormation's own: how long it waits for the answer
    "S3BucketName",
    "S3KeyPrefix",
    "CloudWatchLogGroupName",
    "CloudWatchRoleArn",
    "LargeDataBucketName",
    "LargeDataKeyPrefix",
    *(f"{kind}DataDeliveryEnabled" for kind in KINDS),
    "ReplacedConfigurationParameter",
    "TakeOverExistingConfiguration",
}
FLAGS = ("TakeOverExistingConfiguration",)
SSM_ACTIONS = {"ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"}
PARAMETER_ARN = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def templates():
    """bedrock-settings' templates (the audit module's embed its own handler)."""
    paths = sorted(p for p in TEMPLATES.glob("*.json") if not p.name.startswith("audit-"))
    return {path.name: json.loads(path.read_text("utf-8")) for path in paths}


def resources(resource_type):
    """(where, properties) of every resource of that type in every template."""
    found = []
    for name, template in templates().items():
        for logical_id, resource in (template.get("Resources") or {}).items():
            if resource.get("Type") == resource_type:
                where = f"{name}: {logical_id}"
                found.append((where, resource.get("Properties") or {}))
    return found


def inline_functions():
    functions = resources("AWS::Lambda::Function")
    return [
        (where, properties)
        for where, properties in functions
        if isinstance((properties.get("Code") or {}).get("ZipFile"), str)
    ]


def test_templates_embed_index_py_byte_for_byte_and_it_works(
    aws,
    server,
    bedrock,
    monkeypatch,
    tmp_path,
):
    found = inline_functions()
    assert found, f"no Lambda function with inline Code.ZipFile in {TEMPLATES}/*.json"

    for number, (where, properties) in enumerate(found):
        code = properties["Code"]["ZipFile"]
        same = code.encode("utf-8") == HANDLER_PATH.read_bytes()
        assert same, f"{where}: Code.ZipFile differs from {HANDLER_PATH}"
        assert properties.get("Handler") == "index.handler", where
        assert properties.get("Runtime") == "python3.14", where

        # As Lambda does: write the ZipFile text to index.py, then import it.
        index = tmp_path / str(number) / "index.py"
        index.parent.mkdir()
        index.write_text(code, encoding="utf-8")
        module = load_handler(index, name=f"embedded_index_{number}")
        harness = Harness(module, server, monkeypatch)
        parts = (S3, CLOUDWATCH, LARGE_DATA)

        created = harness.run("Create", props(*parts))
        assert created["Status"] == "SUCCESS", f"{where}: {created['Reason']}"
        assert created["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
        assert created["_request"]["headers"]["Content-Type"] == ""
        config = current_config(bedrock)
        toggles = {k: v for k, v in config.items() if k.endswith("Enabled")}
        assert toggles == EXPECTED_TOGGLES
        assert config["s3Config"]["bucketName"] == S3["S3BucketName"]
        group = config["cloudWatchConfig"]["logGroupName"]
        assert group == CLOUDWATCH["CloudWatchLogGroupName"]

        physical_id = created["PhysicalResourceId"]
        deleted = harness.run("Delete", props(*parts), physical_id=physical_id)
        assert deleted["Status"] == "SUCCESS", f"{where}: {deleted['Reason']}"
        assert current_config(bedrock) == {}


def test_custom_resources_in_templates_keep_to_the_property_contract():
    found = resources("Custom::BedrockInvocationLogging")
    assert found, f"no Custom::BedrockInvocationLogging in {TEMPLATES}/*.json"

    for where, properties in found:
        unknown = set(properties) - CONTRACT
        assert not unknown, f"{where}: properties outside the contract: {unknown}"
        assert "ServiceToken" in properties, where
        # The handler's Lambda timeout is 300 s: CloudFormation must not wait an hour.
        assert properties.get("ServiceTimeout") == 360, where
        for key, value in properties.items():
            if key.endswith("DataDeliveryEnabled") or key in FLAGS:
                # Strings, as CloudFormation sends every custom-resource property.
                assert value in ("true", "false"), f"{where}: {key} is {value!r}"


def test_the_function_may_touch_only_the_parameter_the_resource_names():
    """The handler's SSM permissions name exactly the record the custom resource passes it,
    with no wildcard: it can read and write no other parameter."""
    found = 0
    for name, template in templates().items():
        resources = template["Resources"]
        custom = [r for r in resources.values() if r["Type"] == "Custom::BedrockInvocationLogging"]
        record = custom[0]["Properties"]["ReplacedConfigurationParameter"]
        assert isinstance(record, str) and record.startswith("/"), f"{name}: {record!r}"
        assert record.endswith("/replaced-logging-configuration"), f"{name}: {record!r}"
        for logical_id, resource in resources.items():
            if resource["Type"] not in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
                continue
            for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                actions = {actions} if isinstance(actions, str) else set(actions)
                if not any(a.lower().startswith("ssm:") for a in actions):
                    continue
                found += 1
                where = f"{name}: {logical_id} {statement.get('Sid')}"
                assert statement["Effect"] == "Allow", where
                assert actions == SSM_ACTIONS, where
                assert statement["Resource"] == {"Fn::Sub": PARAMETER_ARN + record}, where
    assert found == len(templates()), "every template grants the record, once"
