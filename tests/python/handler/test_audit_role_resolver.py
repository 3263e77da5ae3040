"""The audit module's role resolver (crates/audit/handler/index.py) against moto's IAM.

Custom::AuditRoleReference answers with the ARN of a role of this account, path included, found
by name (GetRole), by unique ID (ListRoles, every page), or as the one role IAM Identity Center
made for a permission set (ListRoles under its path, every page). It answers CloudFormation on every
path, within its deadline, and its Delete does nothing: resolving a role changes nothing.
"""

import json
import logging

import boto3
import pytest
from botocore.exceptions import ClientError
from handler_support import ROOT, SECRET, Harness, load_handler

RESOLVER = ROOT / "crates" / "audit" / "handler" / "index.py"


@pytest.fixture
def resolver(aws, server, monkeypatch):
    return Harness(load_handler(RESOLVER, "audit_role_resolver"), server, monkeypatch, 60.0)


@pytest.fixture
def iam(aws):
    return boto3.client("iam", region_name="us-east-1")


def make_role(iam, name, path="/"):
    trust = {"Version": "2012-10-17", "Statement": []}
    role = iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(trust))
    return role["Role"]


class Failing:
    """The handler's IAM client, with calls that fail as told: name -> list of error codes."""

    def __init__(self, monkeypatch, module, errors, page_size=None):
        real = boto3.client
        self.calls = []

        def client(service, **kwargs):
            inner = real(service, **kwargs)
            outer = self

            class Client:
                def __getattr__(self, name):
                    method = getattr(inner, name)

                    def call(**kw):
                        outer.calls.append(name)
                        if errors.get(name):
                            code, status = errors[name].pop(0)
                            error = {"Code": code, "Message": f"{code} from the test"}
                            meta = {"HTTPStatusCode": status}
                            operation = "".join(part.title() for part in name.split("_"))
                            raise ClientError({"Error": error, "ResponseMetadata": meta}, operation)
                        if page_size and name == "list_roles":
                            kw["MaxItems"] = page_size
                        return method(**kw)

                    return call

            return Client()

        monkeypatch.setattr(module.boto3, "client", client)


def test_a_role_by_name_resolves_to_its_arn_with_its_path(resolver, iam):
    role = make_role(iam, "AuditReadOnlyRole", "/audit/readers/")
    answer = resolver.run("Create", {"RoleName": "AuditReadOnlyRole"})
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == role["Arn"]
    assert answer["Data"] == {"Arn": role["Arn"]}
    assert role["Arn"].endswith(":role/audit/readers/AuditReadOnlyRole")


def test_a_role_by_unique_id_is_found_on_any_page(resolver, iam, monkeypatch):
    for i in range(5):
        make_role(iam, f"role-{i}")
    last = iam.list_roles()["Roles"][-1]  # the role the listing reaches last
    calls = Failing(monkeypatch, resolver.module, {}, page_size=2)
    answer = resolver.run("Create", {"RoleId": last["RoleId"]})
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"] == {"Arn": last["Arn"]}
    assert calls.calls == ["list_roles"] * 3


def test_an_unknown_name_or_id_fails_the_create_with_a_reason(resolver, iam):
    make_role(iam, "Other")
    by_name = resolver.run("Create", {"RoleName": "Missing"})
    assert by_name["Status"] == "FAILED"
    assert by_name["Reason"] == "This account has no role named Missing"
    assert by_name["PhysicalResourceId"] == "unresolved-role-reference"
    by_id = resolver.run("Create", {"RoleId": "AROAEXAMPLEEXAMPLE1234"})
    assert by_id["Status"] == "FAILED"
    assert "no role with the unique ID AROAEXAMPLEEXAMPLE1234" in by_id["Reason"]


SSO_PATH = "/aws-reserved/sso.amazonaws.com/eu-west-1/"


def test_a_permission_set_resolves_to_the_role_identity_center_made(resolver, iam, monkeypatch):
    make_role(iam, "AWSReservedSSO_Auditor_0123456789abcdef", "/other/")  # not Identity Center
    make_role(iam, "AWSReservedSSO_AuditorX_0123456789abcdef", SSO_PATH)  # another permission set
    make_role(iam, "AWSReservedSSO_Auditor_012345678", SSO_PATH)  # not its suffix
    for i in range(3):
        make_role(iam, f"AWSReservedSSO_Other{i}_0123456789abcdef", SSO_PATH)
    role = make_role(iam, "AWSReservedSSO_Auditor_a1B2c3D4e5F6a7B8", SSO_PATH)
    calls = Failing(monkeypatch, resolver.module, {}, page_size=2)
    answer = resolver.run("Create", {"SsoPermissionSet": "Auditor"})
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"] == {"Arn": role["Arn"]}
    assert calls.calls == ["list_roles"] * 3  # six roles under the path, two a page


def test_a_permission_set_without_exactly_one_role_fails_with_a_reason(resolver, iam):
    none = resolver.run("Create", {"SsoPermissionSet": "Auditor"})
    assert none["Status"] == "FAILED"
    assert "has no roles of IAM Identity Center for the permission set Auditor" in none["Reason"]
    make_role(iam, "AWSReservedSSO_Auditor_0123456789abcdef", SSO_PATH)
    make_role(iam, "AWSReservedSSO_Auditor_fedcba9876543210", "/aws-reserved/sso.amazonaws.com/")
    two = resolver.run("Create", {"SsoPermissionSet": "Auditor"})
    assert two["Status"] == "FAILED"
    assert "has 2 roles of IAM Identity Center" in two["Reason"]


def test_a_permission_set_name_is_matched_literally(resolver, iam):
    make_role(iam, "AWSReservedSSO_AxB_0123456789abcdef", SSO_PATH)
    answer = resolver.run("Create", {"SsoPermissionSet": "A.B"})
    assert answer["Status"] == "FAILED", "a dot is not a wildcard"


@pytest.mark.parametrize(
    "properties",
    [
        {},
        {"RoleName": "A", "RoleId": "AROAEXAMPLEEXAMPLE1234"},
        {"RoleName": "A", "SsoPermissionSet": "A"},
        {"RoleName": "a b"},
        {"RoleId": "x"},
        {"SsoPermissionSet": "a b"},
    ],
    ids=["neither", "both", "name-and-sso", "bad-name", "bad-id", "bad-permission-set"],
)
def test_malformed_properties_fail_without_calling_aws(resolver, monkeypatch, properties):
    calls = Failing(monkeypatch, resolver.module, {})
    answer = resolver.run("Create", properties)
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Malformed properties:")
    assert calls.calls == []


def test_delete_and_a_failed_create_s_delete_do_nothing(resolver, monkeypatch):
    calls = Failing(monkeypatch, resolver.module, {})
    arn = "arn:aws:iam::123456789012:role/Gone"
    for physical in (arn, "unresolved-role-reference"):
        answer = resolver.run("Delete", {"RoleName": "Gone"}, physical_id=physical)
        assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", physical)
    assert calls.calls == []


def test_an_update_to_another_role_answers_its_arn(resolver, iam):
    old, new = make_role(iam, "Old"), make_role(iam, "New", "/team/")
    answer = resolver.run("Update", {"RoleName": "New"}, physical_id=old["Arn"])
    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", new["Arn"])


def test_throttling_is_retried_and_access_denied_is_not(resolver, iam, monkeypatch):
    make_role(iam, "Reader")
    throttled = {"get_role": [("Throttling", 400), ("ServiceFailure", 500)]}
    calls = Failing(monkeypatch, resolver.module, throttled)
    assert resolver.run("Create", {"RoleName": "Reader"})["Status"] == "SUCCESS"
    assert calls.calls == ["get_role"] * 3
    assert resolver.clock.sleeps == [1, 2]
    denied = Failing(monkeypatch, resolver.module, {"get_role": [("AccessDenied", 403)]})
    answer = resolver.run("Create", {"RoleName": "Reader"})
    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == "GetRole failed: AccessDenied: AccessDenied from the test"
    assert denied.calls == ["get_role"]


def test_retries_stop_in_time_to_answer(resolver, monkeypatch):
    resolver.clock.remaining = 40.0
    Failing(monkeypatch, resolver.module, {"get_role": [("Throttling", 400)] * 50})
    answer = resolver.run("Create", {"RoleName": "Reader"})
    assert answer["Status"] == "FAILED"
    assert "Throttling" in answer["Reason"]
    assert resolver.clock.remaining >= resolver.module.MARGIN


def test_an_unknown_request_type_is_answered_failed(resolver):
    answer = resolver.run("Rename", {"RoleName": "Reader"})
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Malformed request: unknown RequestType")


def test_the_answer_is_retried_and_never_raises(resolver, server, iam, caplog):
    make_role(iam, "Reader")
    server.fail_with = [500, 403]
    with caplog.at_level(logging.INFO):
        event = resolver.event("Create", {"RoleName": "Reader"})
        assert resolver.module.handler(event, resolver.context) is None
    assert [json.loads(r["raw_body"])["Status"] for r in server.requests] == ["SUCCESS"] * 3
    assert resolver.clock.sleeps == [1, 2]
    assert SECRET not in caplog.text


@pytest.mark.parametrize("url", [None, 42, "not a url", "http://", "https://[::1/x"])
def test_without_a_usable_response_url_the_handler_logs_and_ends(resolver, server, caplog, url):
    event = resolver.event("Delete", {"RoleName": "Reader"}, physical_id="p")
    event["ResponseURL"] = url
    with caplog.at_level(logging.INFO):
        assert resolver.module.handler(event, resolver.context) is None
    assert server.requests == [] and resolver.clock.sleeps == []
    assert "no usable ResponseURL" in caplog.text


def test_anything_unexpected_is_answered_failed(resolver, monkeypatch):
    def broken(props):
        raise KeyError("surprise")

    monkeypatch.setattr(resolver.module, "wanted", broken)
    answer = resolver.run("Create", {"RoleName": "Reader"})
    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == "Unexpected error: KeyError: 'surprise'"
