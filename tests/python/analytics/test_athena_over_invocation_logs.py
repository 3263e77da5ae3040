"""The Glue table and saved queries of ``logAnalytics``, proven on realistic records.

Records of every runtime operation and kind of data (text, image, embedding, streams, errors,
bodies delivered apart, request metadata, cross-Region inference, cache tokens, guardrail
interventions), laid out in a bucket exactly as Bedrock delivers them, with the odd objects
beside them (permission checks, the notice line, a line cut short, bodies under ``data/``,
CloudWatch's large-data objects, another region's folder). From the committed template of the
``analytics`` sample, and nothing else, the tests:

- resolve every object's key through the table's partition projection: every record file
  lands in the partition of its hour, and nothing else but the bodies Bedrock delivers inside
  an hour's folder, whose rows carry no record;
- read every line through the table's SerDe and columns: every field of every record comes
  back under its column, bodies as JSON text that SQL's JSON functions read;
- run every saved query (sqlglot reads it as Athena's SQL and writes it for DuckDB) and
  compare its rows with answers computed here from the records themselves.

What this proves and what it does not: the projection, the column names and types, the SerDe
properties and the queries' SQL agree with each other and with Bedrock's documented record
and key layout. Athena is emulated (see ``athena_emulation``): its SerDe after Trino's
documented OpenX reader, its SQL by DuckDB after sqlglot's translation, its projection after
the Athena User Guide. That Athena prunes partitions on the queries' windows, and the exact
bytes it scans, are not proven here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from athena_emulation import MalformedJson, OpenXSerde, Table, resolve
from invocation_logs import ACCOUNT, BUCKET, NOTICE, RECORDS, REGION, Record, layout, records

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "templates" / "analytics.json"
SAMPLE = REPO / "crates" / "bedrock-settings" / "samples" / "analytics.yaml"
TABLE_ID = "InvocationsTable"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def made() -> list[Record]:
    return records(utc_now())


@pytest.fixture(scope="module")
def table(template: dict[str, Any], made: list[Record]) -> tuple[Table, dict[str, dict[str, str]]]:
    t = Table.of(template, TABLE_ID, ACCOUNT, REGION)
    read = t.load(BUCKET, layout(made).objects, utc_now())
    return t, read


def test_the_table_projects_hours_over_this_accounts_and_regions_records(
    template: dict[str, Any],
) -> None:
    table_input = template["Resources"][TABLE_ID]["Properties"]["TableInput"]
    p = table_input["Parameters"]
    assert [k["Name"] for k in table_input["PartitionKeys"]] == ["datehour"]
    assert p["projection.datehour.type"] == "date"
    assert p["projection.datehour.format"] == "yyyy/MM/dd/HH"
    assert (p["projection.datehour.interval"], p["projection.datehour.interval.unit"]) == (
        "1",
        "HOURS",
    )
    since = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["logAnalytics"]["logsSince"]
    assert p["projection.datehour.range"] == f"{str(since).replace('-', '/')}/00,NOW"
    location = resolve(p["storage.location.template"], template, ACCOUNT, REGION)
    assert location == f"s3://{BUCKET}/{RECORDS}/${{datehour}}/"
    table_location = table_input["StorageDescriptor"]["Location"]
    assert resolve(table_location, template, ACCOUNT, REGION) == f"s3://{BUCKET}/{RECORDS}/"
    # No crawler, no partitions to add: nothing in the template maintains the table.
    types = {r["Type"] for r in template["Resources"].values()}
    assert not types & {"AWS::Glue::Crawler", "AWS::Glue::Partition", "AWS::Glue::Trigger"}


def test_projection_resolves_every_record_file_to_its_hour_and_nothing_else(
    made: list[Record], table: tuple[Table, dict[str, dict[str, str]]]
) -> None:
    _, read = table
    bucket = layout(made)
    for key in bucket.record_files:
        assert key in read, f"no partition holds {key}"
        assert key.startswith(f"{RECORDS}/{read[key]['datehour']}/"), (key, read[key])
    # Bodies delivered apart sit in their hour's folder, which Athena reads whole.
    for key in bucket.body_objects:
        assert key in read and "/data/" in key, key
    # Permission checks, CloudWatch's large-data objects, another region's folder: never.
    assert not bucket.other_objects & set(read)
    assert set(read) == bucket.record_files | bucket.body_objects
    # Every hour with records is one partition.
    assert {p["datehour"] for p in read.values()} == {r.hour for r in made}


def test_every_record_reads_back_under_its_columns(
    made: list[Record], table: tuple[Table, dict[str, dict[str, str]]]
) -> None:
    t, _ = table
    rows = t.connection.execute(
        'SELECT requestid, schematype, schemaversion, "timestamp", accountid, region, operation, '
        "modelid, inferenceregion, errorcode, identity, requestmetadata, input, output, "
        "performanceconfig, datehour FROM invocations WHERE schematype = 'ModelInvocationLog'"
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    assert len(rows) == len(made) == len(by_id)
    for r in made:
        doc = r.document()
        (_, schema, version, ts, account, region, operation, model, inference, error) = by_id[
            r.request_id
        ][:10]
        identity, metadata, inp, out, performance, hour = by_id[r.request_id][10:]
        assert (schema, version, ts, account, region) == (
            "ModelInvocationLog",
            "1.0",
            doc["timestamp"],
            ACCOUNT,
            REGION,
        )
        assert (operation, model, inference, error) == (
            r.operation,
            r.model,
            doc.get("inferenceRegion"),
            r.error,
        ), r.name
        assert identity == {"arn": r.caller}
        assert (metadata or {}) == r.metadata, r.name
        assert performance == (
            {"latency": doc["performanceConfig"]["latency"]} if "performanceConfig" in doc else None
        )
        assert hour == r.hour
        # camelCase keys read into their lower-cased fields; bodies are their JSON text.
        for section, read in (("input", inp), ("output", out)):
            written = doc.get(section)
            if written is None:
                assert read is None, r.name
                continue
            for field, value in read.items():
                key = next((k for k in written if k.lower() == field), None)
                expected = written.get(key) if key else None
                if isinstance(expected, (dict, list)):
                    assert json.loads(value) == expected, (r.name, field)
                    assert value == json.dumps(expected, separators=(",", ":")), (r.name, field)
                else:
                    assert value == expected, (r.name, field)
            known = {f for f in read}
            unknown = {k for k in written if k.lower() not in known}
            assert unknown <= {"inputSomethingNew"}, (r.name, unknown)


def test_odd_lines_and_bodies_become_rows_without_a_record(
    made: list[Record], table: tuple[Table, dict[str, dict[str, str]]]
) -> None:
    t, read = table
    (nulls,) = t.connection.execute(
        "SELECT count(*) FROM invocations WHERE schematype IS NULL AND requestid IS NULL "
        "AND identity IS NULL AND input IS NULL AND output IS NULL"
    ).fetchone()
    bodies = sum(1 for key in read if "/data/" in key)
    # The notice line, the line cut short, and one line per body object.
    assert nulls == 2 + bodies
    (total,) = t.connection.execute("SELECT count(*) FROM invocations").fetchone()
    assert total == len(made) + nulls


def test_bodies_are_json_text_that_sql_reads(
    made: list[Record], table: tuple[Table, dict[str, dict[str, str]]]
) -> None:
    t, _ = table
    converse = next(r for r in made if r.name == "converse-metadata-cross-region-cache")
    rows = t.query(
        "SELECT json_extract_scalar(input.inputbodyjson, '$.inferenceConfig.maxTokens'), "
        "json_extract_scalar(output.outputbodyjson, '$.stopReason') FROM invocations "
        f"WHERE requestid = '{converse.request_id}'"
    )
    assert rows == [("300", "end_turn")]


def test_the_serde_properties_are_what_keeps_records_readable(template: dict[str, Any]) -> None:
    """The same lines through the SerDe without the template's properties: a line cut short
    fails the query, and camelCase keys read NULL when matched case-sensitively."""
    storage = template["Resources"][TABLE_ID]["Properties"]["TableInput"]["StorageDescriptor"]
    serde = OpenXSerde.of(storage["SerdeInfo"])
    assert serde.ignore_malformed_json and serde.case_insensitive and not serde.mappings
    columns = [("input", ("struct", [("inputtokencount", "bigint")]))]
    line = '{"input":{"inputTokenCount":25}}'
    assert serde.row(line, columns) == {"input": {"inputtokencount": 25}}
    assert serde.row(NOTICE, columns) == {"input": None}
    assert serde.row('{"input":{"inputTok', columns) == {"input": None}
    strict = OpenXSerde(ignore_malformed_json=False, case_insensitive=False, mappings={})
    assert strict.row(line, columns) == {"input": {"inputtokencount": None}}
    with pytest.raises(MalformedJson):
        strict.row('{"input":{"inputTok', columns)


# --------------------------------------------------------------------------------------------
# The saved queries, and their answers computed from the records
# --------------------------------------------------------------------------------------------


def _window(made: list[Record], days: int) -> list[Record]:
    start = (utc_now() - timedelta(days=days)).strftime("%Y/%m/%d/%H")
    return [r for r in made if r.hour >= start]


def _intervened(body: Any) -> bool:
    """Whether a guardrail intervened, read from the body's structure (not its text)."""
    if isinstance(body, dict):
        if body.get("amazon-bedrock-guardrailAction") == "INTERVENED":
            return True
        if body.get("stopReason") == "guardrail_intervened":
            return True
        return any(_intervened(v) for v in body.values())
    if isinstance(body, list):
        return any(_intervened(v) for v in body)
    return False


def tokens_by_caller_model_day(made: list[Record]) -> list[tuple[Any, ...]]:
    groups: dict[tuple[date, str, str], list[Record]] = defaultdict(list)
    for r in _window(made, 30):
        groups[(r.timestamp.date(), r.caller, r.model)].append(r)
    rows = [
        (
            day,
            caller,
            model,
            len(rs),
            sum(r.input_tokens for r in rs),
            sum(int(r.input.get("cacheReadInputTokenCount", 0)) for r in rs),
            sum(int(r.input.get("cacheWriteInputTokenCount", 0)) for r in rs),
            sum(r.output_tokens for r in rs),
        )
        for (day, caller, model), rs in groups.items()
    ]
    return sorted(rows, key=lambda x: (-x[0].toordinal(), -x[4], x[1], x[2]))


def error_rates(made: list[Record]) -> list[tuple[Any, ...]]:
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in _window(made, 7):
        groups[(r.model, r.operation)].append(r)
    rows = []
    for (model, operation), rs in groups.items():
        errors = sum(1 for r in rs if r.error)
        percent = (Decimal(100 * errors) / len(rs)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        rows.append((model, operation, len(rs), errors, float(percent)))
    return sorted(rows, key=lambda x: (-x[4], -x[3], x[0], x[1]))


def top_callers(made: list[Record]) -> list[tuple[Any, ...]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in _window(made, 7):
        groups[r.caller].append(r)
    rows = []
    for caller, rs in groups.items():
        inp, out = sum(r.input_tokens for r in rs), sum(r.output_tokens for r in rs)
        errors = sum(1 for r in rs if r.error)
        rows.append((caller, len(rs), errors, len({r.model for r in rs}), inp, out, inp + out))
    return sorted(rows, key=lambda x: (-x[6], -x[1], x[0]))[:25]


def tokens_by_request_metadata(made: list[Record]) -> list[tuple[Any, ...]]:
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for r in _window(made, 30):
        for key, value in r.metadata.items():
            groups[(key, value, r.model)].append(r)
    rows = [
        (
            key,
            value,
            model,
            len(rs),
            sum(r.input_tokens for r in rs),
            sum(r.output_tokens for r in rs),
        )
        for (key, value, model), rs in groups.items()
    ]
    return sorted(rows, key=lambda x: (x[0], -x[4], x[1], x[2]))


def guardrail_interventions(made: list[Record]) -> list[tuple[Any, ...]]:
    groups: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in _window(made, 30):
        if _intervened((r.output or {}).get("outputBodyJson")):
            groups[(r.caller, r.model, r.operation)] += 1
    rows = [(c, m, o, n) for (c, m, o), n in groups.items()]
    return sorted(rows, key=lambda x: (-x[3], x[0], x[1], x[2]))


def large_bodies(made: list[Record]) -> list[tuple[Any, ...]]:
    rows = []
    for r in _window(made, 30):
        inp, out = r.input.get("inputBodyS3Path"), (r.output or {}).get("outputBodyS3Path")
        if inp or out:
            doc = r.document()
            rows.append((doc["timestamp"], r.request_id, r.caller, r.model, r.operation, inp, out))
    rows.sort(key=lambda x: x[1])
    rows.sort(key=lambda x: x[0], reverse=True)
    return rows[:100]


EXPECTED: dict[str, Callable[[list[Record]], list[tuple[Any, ...]]]] = {
    "tokens-by-caller-model-day": tokens_by_caller_model_day,
    "error-rates": error_rates,
    "top-callers": top_callers,
    "tokens-by-request-metadata": tokens_by_request_metadata,
    "guardrail-interventions": guardrail_interventions,
    "large-bodies": large_bodies,
}


def _named_queries() -> list[tuple[str, dict[str, Any]]]:
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return [
        (r["Properties"]["Name"], r["Properties"])
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Athena::NamedQuery"
    ]


def test_every_saved_query_has_an_answer_computed_here() -> None:
    assert sorted(name for name, _ in _named_queries()) == sorted(EXPECTED)


@pytest.mark.parametrize(("name", "query"), _named_queries(), ids=[n for n, _ in _named_queries()])
def test_saved_query_answers_from_the_records(
    name: str,
    query: dict[str, Any],
    made: list[Record],
    template: dict[str, Any],
    table: tuple[Table, dict[str, dict[str, str]]],
) -> None:
    t, _ = table
    # Run against the table's database, in the module's workgroup.
    assert query["Database"] == {"Ref": t.database}
    assert query["WorkGroup"] == {"Ref": "InvocationLogsWorkGroup"}
    got = [
        tuple(float(v) if isinstance(v, (Decimal, float)) else v for v in row)
        for row in t.query(query["QueryString"])
    ]
    expected = EXPECTED[name](made)
    assert expected, f"{name}: the records give this query nothing to find"
    assert got == expected


def test_the_records_exercise_every_query_beyond_the_trivial(made: list[Record]) -> None:
    """Each query's answer holds what makes it worth having: several groups, and rows the
    window or a filter leaves out."""
    assert {r.operation for r in made} == {
        "InvokeModel",
        "InvokeModelWithResponseStream",
        "Converse",
        "ConverseStream",
    }
    assert len(guardrail_interventions(made)) == 4  # one per operation, not the quoted one
    assert any(r.error for r in made) and any(r.metadata for r in made)
    assert len(_window(made, 7)) < len(_window(made, 30)) < len(made)
