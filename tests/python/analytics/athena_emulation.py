"""A local stand-in for what Athena does with a Glue table of the template: partition
projection, the OpenX JSON SerDe, and Athena's SQL (Trino), run on DuckDB.

Everything is read from the template: the projection's properties and
``storage.location.template``, the columns and their Hive types, the SerDe and its
properties, the saved queries. What each part emulates, and after which facts:

- Projection (Athena User Guide, "Supported types for partition projection"): a ``date``
  key's values are the dates of ``format`` from the range's start to ``NOW``, one per
  ``interval`` ``interval.unit``; a partition's files are every object under the location
  its values give the template (Athena reads all data under a location, subfolders too).
- The OpenX JSON SerDe, as Trino's reader (which Athena engine 3 is built on) documents it
  (trino-hive-formats, ``openxjson/README.md``): a line not starting with ``{`` or ``[`` is a
  row of NULLs; an unparseable one too with ``ignore.malformed.json``, else the query fails;
  keys match columns and struct fields case-insensitively with ``case.insensitive`` (else
  exactly, or through ``mapping.<column>``); unknown keys are ignored; an object or array
  under a string column is its compact JSON text; a number is NULL when it does not parse.
- SQL: sqlglot parses each query as Athena's dialect and writes it for DuckDB, with the
  session in UTC as Athena's is.

Not emulated, so not proven: Athena's own SerDe code (this follows its documentation and
Trino's), its planner (that a window on the partition key prunes partitions), S3 listing,
gzip detection by anything but the ``.gz`` suffix, and the open-json parser's leniency.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import sqlglot

PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


def resolve(value: Any, template: dict[str, Any], account: str, region: str) -> str:
    """A string the template writes with ``Ref``/``Fn::Sub`` of pseudo parameters and of
    resources whose name is itself such a string (a bucket's ``BucketName``)."""
    pseudo = {**PSEUDO, "AWS::AccountId": account, "AWS::Region": region}
    resources = template["Resources"]

    def name_of(logical_id: str) -> str:
        if logical_id in pseudo:
            return pseudo[logical_id]
        properties = resources[logical_id]["Properties"]
        for key in ("BucketName", "Name"):
            if key in properties:
                return resolve(properties[key], template, account, region)
        raise KeyError(f"no name to resolve for {logical_id}")

    if isinstance(value, str):
        return value
    if set(value) == {"Ref"}:
        return name_of(value["Ref"])
    if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):

        def replace(match: re.Match[str]) -> str:
            inner = match.group(1)
            return "${" + inner[1:] + "}" if inner.startswith("!") else name_of(inner)

        return re.sub(r"\$\{([^}]+)\}", replace, value["Fn::Sub"])
    raise ValueError(f"cannot resolve {value!r}")


# --------------------------------------------------------------------------------------------
# Partition projection
# --------------------------------------------------------------------------------------------

# Java DateTimeFormatter letters the projections here use, as strftime and as digits.
_JAVA_DATE = {"yyyy": ("%Y", 4), "MM": ("%m", 2), "dd": ("%d", 2), "HH": ("%H", 2)}
_UNITS = {"HOURS": timedelta(hours=1), "DAYS": timedelta(days=1)}


@dataclass
class DateKey:
    name: str
    strftime: str
    pattern: str
    start: datetime
    step: timedelta

    @classmethod
    def read(cls, name: str, parameters: dict[str, str]) -> DateKey:
        java = parameters[f"projection.{name}.format"]
        strftime, pattern, rest = "", "", java
        while rest:
            letters = next((k for k in _JAVA_DATE if rest.startswith(k)), None)
            if letters:
                strftime += _JAVA_DATE[letters][0]
                pattern += rf"\d{{{_JAVA_DATE[letters][1]}}}"
                rest = rest[len(letters) :]
            elif rest[0].isalpha():
                raise ValueError(f"format letter {rest[0]!r} of {java!r} is not emulated")
            else:
                strftime += rest[0]
                pattern += re.escape(rest[0])
                rest = rest[1:]
        start, end = parameters[f"projection.{name}.range"].split(",")
        assert end == "NOW", f"only ranges up to NOW are emulated, not {end!r}"
        unit = _UNITS[parameters[f"projection.{name}.interval.unit"]]
        step = unit * int(parameters.get(f"projection.{name}.interval", "1"))
        return cls(name, strftime, pattern, datetime.strptime(start, strftime), step)

    def accepts(self, value: str, now: datetime) -> bool:
        """Whether the projection has this value: a date it writes, in range, on a step."""
        try:
            at = datetime.strptime(value, self.strftime)
        except ValueError:
            return False
        return (
            at.strftime(self.strftime) == value
            and self.start <= at <= now
            and (at - self.start) % self.step == timedelta()
        )


@dataclass
class Projection:
    """The table's partitions, as Athena projects them."""

    template: str
    keys: list[DateKey]

    @classmethod
    def of(cls, table_input: dict[str, Any], location_template: str) -> Projection:
        parameters = table_input["Parameters"]
        assert parameters["projection.enabled"] == "true"
        keys = []
        for key in table_input["PartitionKeys"]:
            kind = parameters[f"projection.{key['Name']}.type"]
            assert kind == "date", f"projection type {kind!r} is not emulated"
            keys.append(DateKey.read(key["Name"], parameters))
        return cls(location_template, keys)

    def partition_of(self, uri: str, now: datetime) -> dict[str, str] | None:
        """The partition whose location holds the object ``uri``, if any."""
        pattern = re.escape(self.template)
        for key in self.keys:
            pattern = pattern.replace(
                re.escape("${" + key.name + "}"), f"(?P<{key.name}>{key.pattern})"
            )
        match = re.match(pattern, uri)
        if not match:
            return None
        values = match.groupdict()
        if all(k.accepts(values[k.name], now) for k in self.keys):
            return values
        return None


# --------------------------------------------------------------------------------------------
# Hive types, and the OpenX JSON SerDe
# --------------------------------------------------------------------------------------------


def parse_type(text: str) -> Any:
    """A Hive type (``struct<a:string,b:map<string,bigint>>``) as nested tuples."""
    node, rest = _parse(text.replace(" ", ""))
    assert not rest, f"left over in {text!r}: {rest!r}"
    return node


def _parse(text: str) -> tuple[Any, str]:
    match = re.match(r"[a-z]+", text)
    assert match, text
    kind, rest = match.group(0), text[match.end() :]
    if kind in ("array", "map", "struct"):
        assert rest.startswith("<"), text
        rest = rest[1:]
        items: list[Any] = []
        while True:
            if kind == "struct":
                name, rest = rest.split(":", 1)
                item, rest = _parse(rest)
                items.append((name, item))
            else:
                item, rest = _parse(rest)
                items.append(item)
            if rest.startswith(","):
                rest = rest[1:]
                continue
            assert rest.startswith(">"), text
            return (kind, items), rest[1:]
    return kind, rest


_DUCKDB = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "boolean": "BOOLEAN"}
_DUCKDB.update({"double": "DOUBLE"})


def duckdb_type(hive: Any) -> str:
    if isinstance(hive, str):
        return _DUCKDB[hive]
    kind, items = hive
    if kind == "struct":
        return "STRUCT(" + ", ".join(f'"{n}" {duckdb_type(t)}' for n, t in items) + ")"
    if kind == "map":
        return f"MAP({duckdb_type(items[0])}, {duckdb_type(items[1])})"
    return f"{duckdb_type(items[0])}[]"


class MalformedJson(Exception):
    """A line the SerDe cannot read, with ``ignore.malformed.json`` off: the query fails."""


@dataclass
class OpenXSerde:
    """The OpenX JSON SerDe with the table's properties."""

    ignore_malformed_json: bool
    case_insensitive: bool
    mappings: dict[str, str]

    @classmethod
    def of(cls, serde_info: dict[str, Any]) -> OpenXSerde:
        assert serde_info["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
        p = serde_info.get("Parameters", {})
        return cls(
            p.get("ignore.malformed.json", "false").lower() == "true",
            p.get("case.insensitive", "true").lower() == "true",
            {k[len("mapping.") :]: v for k, v in p.items() if k.startswith("mapping.")},
        )

    def row(self, line: str, columns: list[tuple[str, Any]]) -> dict[str, Any]:
        nulls = {name: None for name, _ in columns}
        text = line.strip()
        if not text or text[0] not in "{[":
            return nulls
        try:
            value = json.loads(text)
        except ValueError as e:
            if self.ignore_malformed_json:
                return nulls
            raise MalformedJson(text[:60]) from e
        if not isinstance(value, dict):
            raise AssertionError("top-level arrays are not emulated")
        return {name: self._value(self._field(value, name, top=True), t) for name, t in columns}

    def _field(self, obj: dict[str, Any], name: str, top: bool = False) -> Any:
        key = self.mappings.get(name, name) if top else name
        if key in obj:
            return obj[key]
        if self.case_insensitive:
            for k, v in obj.items():
                if k.lower() == key.lower():
                    return v
        return None

    def _value(self, value: Any, hive: Any) -> Any:
        if value is None:
            return None
        if hive == "string":
            if isinstance(value, (dict, list)):
                return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)
        if hive in ("bigint", "int"):
            if isinstance(value, (dict, list)):
                raise AssertionError("an object for a number fails the query")
            try:
                number = float(value)
            except (TypeError, ValueError):
                return None
            return int(number) if number.is_integer() else None
        kind, items = hive
        if kind == "struct":
            if not isinstance(value, dict):
                raise AssertionError("a non-object for a struct fails the query")
            return {n: self._value(self._field(value, n), t) for n, t in items}
        if kind == "map":
            if not isinstance(value, dict):
                raise AssertionError("a non-object for a map fails the query")
            return {str(k): self._value(v, items[1]) for k, v in value.items()}
        values = value if isinstance(value, list) else [value]
        return [self._value(v, items[0]) for v in values]


# --------------------------------------------------------------------------------------------
# The table, loaded into DuckDB
# --------------------------------------------------------------------------------------------


@dataclass
class Table:
    """The template's Glue table over a set of S3 objects, with DuckDB holding its rows."""

    name: str
    database: str
    projection: Projection
    serde: OpenXSerde
    columns: list[tuple[str, Any]]
    partition_keys: list[str]
    connection: duckdb.DuckDBPyConnection

    @classmethod
    def of(cls, template: dict[str, Any], logical_id: str, account: str, region: str) -> Table:
        resource = template["Resources"][logical_id]
        assert resource["Type"] == "AWS::Glue::Table"
        table_input = resource["Properties"]["TableInput"]
        storage = table_input["StorageDescriptor"]
        location = resolve(
            table_input["Parameters"]["storage.location.template"], template, account, region
        )
        columns = [(c["Name"], parse_type(c["Type"])) for c in storage["Columns"]]
        keys = [k["Name"] for k in table_input["PartitionKeys"]]
        connection = duckdb.connect()
        # Athena's sessions are in UTC.
        connection.execute("SET TimeZone = 'UTC'")
        ddl = ", ".join(f'"{n}" {duckdb_type(t)}' for n, t in columns)
        ddl += "".join(f', "{k}" VARCHAR' for k in keys)
        connection.execute(f'CREATE TABLE "{table_input["Name"]}" ({ddl})')
        return cls(
            table_input["Name"],
            resource["Properties"]["DatabaseName"]["Ref"],
            Projection.of(table_input, location),
            OpenXSerde.of(storage["SerdeInfo"]),
            columns,
            keys,
            connection,
        )

    def load(
        self, bucket: str, objects: dict[str, bytes], now: datetime
    ) -> dict[str, dict[str, str]]:
        """Reads every object under a projected partition as Athena would; returns the
        partition of each object read."""
        read: dict[str, dict[str, str]] = {}
        rows: list[list[Any]] = []
        for key, body in sorted(objects.items()):
            partition = self.projection.partition_of(f"s3://{bucket}/{key}", now)
            if partition is None:
                continue
            read[key] = partition
            text = gzip.decompress(body).decode("utf-8") if key.endswith(".gz") else body.decode()
            for line in text.splitlines():
                row = self.serde.row(line, self.columns)
                rows.append(
                    [row[n] for n, _ in self.columns] + [partition[k] for k in self.partition_keys]
                )
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            self.connection.executemany(f'INSERT INTO "{self.name}" VALUES ({marks})', rows)
        return read

    def query(self, athena_sql: str) -> list[tuple[Any, ...]]:
        """Runs a query written for Athena, transpiled for DuckDB."""
        (duck_sql,) = sqlglot.transpile(athena_sql, read="athena", write="duckdb")
        return self.connection.execute(duck_sql).fetchall()
