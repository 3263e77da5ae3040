"""AWS::Glue::Database and AWS::Glue::Table for the deploy harness (moto 5.2.5 has no
CloudFormation model for them: its CloudFormation skips the resources, which never reach its
Glue backend).

These models put them into moto's Glue backend, so the audit module's database and tables
can be read with the Glue API (get-database, get-table) after a deployment, and are gone
after the stack is deleted. Not emulated: anything Athena does with the tables (partition
projection, SerDe), Lake Formation permissions, and CatalogId other than the account's own.
"""

from __future__ import annotations

from typing import Any


def _models() -> tuple[type, type]:
    from moto.core.common_models import CloudFormationModel
    from moto.glue.models import glue_backends

    class Database(CloudFormationModel):
        # moto's model metaclass files models by the service named in their module path.
        __module__ = "moto.glue.deploy_harness"

        def __init__(self, account_id: str, region_name: str, name: str) -> None:
            self.account_id, self.region_name, self.name = account_id, region_name, name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::Glue::Database"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @property
        def physical_resource_id(self) -> str:
            return self.name  # Ref of a database is its name

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kw: Any,
        ) -> Database:
            database_input = cloudformation_json["Properties"]["DatabaseInput"]
            name = database_input["Name"]
            glue_backends[account_id][region_name].create_database(name, database_input)
            return cls(account_id, region_name, name)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original: Any,
            new_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Database:
            database_input = cloudformation_json["Properties"]["DatabaseInput"]
            if database_input["Name"] != original.name:
                return cls.create_from_cloudformation_json(
                    new_name, cloudformation_json, account_id, region_name
                )
            glue_backends[account_id][region_name].update_database(original.name, database_input)
            return original

        def delete(self, account_id: str, region_name: str) -> None:
            backend = glue_backends[account_id][region_name]
            if self.name in backend.databases:
                backend.delete_database(self.name)

        def is_created(self) -> bool:
            return True

    class Table(CloudFormationModel):
        __module__ = "moto.glue.deploy_harness"

        def __init__(self, account_id: str, region_name: str, database: str, name: str) -> None:
            self.account_id, self.region_name = account_id, region_name
            self.database, self.name = database, name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::Glue::Table"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @property
        def physical_resource_id(self) -> str:
            return self.name  # Ref of a table is its name

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kw: Any,
        ) -> Table:
            properties = cloudformation_json["Properties"]
            database, table_input = properties["DatabaseName"], properties["TableInput"]
            backend = glue_backends[account_id][region_name]
            backend.create_table(database, table_input["Name"], table_input)
            return cls(account_id, region_name, database, table_input["Name"])

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original: Any,
            new_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Table:
            properties = cloudformation_json["Properties"]
            table_input = properties["TableInput"]
            if (properties["DatabaseName"], table_input["Name"]) != (
                original.database,
                original.name,
            ):
                original.delete(account_id, region_name)
                return cls.create_from_cloudformation_json(
                    new_name, cloudformation_json, account_id, region_name
                )
            glue_backends[account_id][region_name].get_table(
                original.database, original.name
            ).update(table_input)
            return original

        def delete(self, account_id: str, region_name: str) -> None:
            backend = glue_backends[account_id][region_name]
            database = backend.databases.get(self.database)
            if database is not None and self.name in database.tables:
                backend.delete_table(self.database, self.name)

        def is_created(self) -> bool:
            return True

    return Database, Table


def apply() -> None:
    """Registers the two models with moto's CloudFormation."""
    from moto.cloudformation import parsing

    model_map = parsing.get_model_map()
    for model in _models():
        model_map[model.cloudformation_type()] = model
