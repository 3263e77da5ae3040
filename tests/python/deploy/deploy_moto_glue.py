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

    class GlueModel(CloudFormationModel):
        """What both types share: a name as the physical id (their Ref), no attributes."""

        # moto's model metaclass files models by the service named in their module path.
        __module__ = "moto.glue.deploy_harness"
        type_name = ""

        def __init__(self, account_id: str, region_name: str, database: str, name: str) -> None:
            self.backend = glue_backends[account_id][region_name]
            self.database, self.name = database, name

        @classmethod
        def cloudformation_type(cls) -> str:
            return cls.type_name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @property
        def physical_resource_id(self) -> str:
            return self.name

        def is_created(self) -> bool:
            return True

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls, original: Any, new_name: str, template: Any, account_id: str, region_name: str
        ) -> Any:
            """A new name replaces the resource; otherwise its input is updated in place."""
            new = cls.names(template["Properties"])
            if new != (original.database, original.name):
                original.delete(account_id, region_name)
                return cls.create_from_cloudformation_json(
                    new_name, template, account_id, region_name
                )
            original.update(template["Properties"])
            return original

    class Database(GlueModel):
        __module__ = GlueModel.__module__
        type_name = "AWS::Glue::Database"

        @staticmethod
        def names(properties: dict[str, Any]) -> tuple[str, str]:
            return properties["DatabaseInput"]["Name"], properties["DatabaseInput"]["Name"]

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, template: Any, account_id: str, region_name: str, **kw: Any
        ) -> Database:
            model = cls(account_id, region_name, *cls.names(template["Properties"]))
            model.backend.create_database(model.name, template["Properties"]["DatabaseInput"])
            return model

        def update(self, properties: dict[str, Any]) -> None:
            self.backend.update_database(self.name, properties["DatabaseInput"])

        def delete(self, account_id: str, region_name: str) -> None:
            if self.name in self.backend.databases:
                self.backend.delete_database(self.name)

    class Table(GlueModel):
        __module__ = GlueModel.__module__
        type_name = "AWS::Glue::Table"

        @staticmethod
        def names(properties: dict[str, Any]) -> tuple[str, str]:
            return properties["DatabaseName"], properties["TableInput"]["Name"]

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, template: Any, account_id: str, region_name: str, **kw: Any
        ) -> Table:
            model = cls(account_id, region_name, *cls.names(template["Properties"]))
            table_input = template["Properties"]["TableInput"]
            model.backend.create_table(model.database, model.name, table_input)
            return model

        def update(self, properties: dict[str, Any]) -> None:
            self.backend.get_table(self.database, self.name).update(properties["TableInput"])

        def delete(self, account_id: str, region_name: str) -> None:
            database = self.backend.databases.get(self.database)
            if database is not None and self.name in database.tables:
                self.backend.delete_table(self.database, self.name)

    return Database, Table


def apply() -> None:
    """Registers the two models with moto's CloudFormation."""
    from moto.cloudformation import parsing

    model_map = parsing.get_model_map()
    for model in _models():
        model_map[model.cloudformation_type()] = model
