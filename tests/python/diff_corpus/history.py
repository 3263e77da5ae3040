"""A tiny hand-made git history of templates, for the diff-corpus tests."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

BUCKET_A = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs-a
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      owner: team-a
"""

# BucketName is create-only (both tools: replaced); only Queue's Metadata
# changes (synth: nothing happens; CDK: updated).
BUCKET_B = BUCKET_A.replace("logs-a", "logs-b").replace("team-a", "team-b")

# On a side branch, merged: the first-parent history sees one change.
BUCKET_SIDE_1 = (
    BUCKET_B
    + """  Topic:
    Type: AWS::SNS::Topic
"""
)
BUCKET_SIDE_2 = BUCKET_SIDE_1.replace(
    "AWS::SNS::Topic", "AWS::SNS::Topic\n    Properties:\n      DisplayName: alerts"
)

# Renamed file with an edit: a modification of the new path.
BUCKET_RENAMED = BUCKET_SIDE_2.replace("DisplayName: alerts", "DisplayName: alarms")

NETWORK_OLD = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
    },
}
# Logs renamed to AuditLogs with the same properties: synth pairs them as a
# rename, CDK as a removal and an addition; both mean the same to the stack.
NETWORK_NEW = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "AuditLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
    },
}


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _commit(repo: Path, message: str, files: dict) -> str:
    for name, content in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


def make_history(repo: Path) -> dict:
    """Builds the history in `repo` and returns the commits by name."""
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    c = {}
    c["first"] = _commit(
        repo, "first", {"stack.yaml": BUCKET_A, "notes.json": '{"a": 1}', "README.md": "x"}
    )
    c["bucket"] = _commit(
        repo, "rename the bucket", {"stack.yaml": BUCKET_B, "notes.json": '{"a": 2}'}
    )
    _git(repo, "checkout", "-q", "-b", "side")
    _commit(repo, "topic", {"stack.yaml": BUCKET_SIDE_1})
    _commit(repo, "topic name", {"stack.yaml": BUCKET_SIDE_2})
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--no-ff", "-m", "merge side", "side")
    c["merge"] = _git(repo, "rev-parse", "HEAD")
    _git(repo, "mv", "stack.yaml", "app.yaml")
    c["rename"] = _commit(repo, "move", {"app.yaml": BUCKET_RENAMED})
    c["network_added"] = _commit(repo, "network", {"network.json": NETWORK_OLD})
    c["network"] = _commit(repo, "rename the log group", {"network.json": NETWORK_NEW})
    return c
