"""CloudFormation models for monitoring resource types that moto 5.2.5's CloudFormation lacks.

moto 5.2.5 skips a resource type it has no model for (a warning, nothing created), so a stack
with a trail, an alarm or a metric filter would deploy "successfully" with none of them.  These
models put the resources into moto's own backends, where the AWS CLI reads them back
(``cloudtrail get-trail``, ``cloudwatch describe-alarms``, ``logs describe-metric-filters``,
``sns get-subscription-attributes`` / ``get-topic-attributes``, ``athena get-work-group``):

==============================  ==========================  ===================================
type                            Ref                         Fn::GetAtt
==============================  ==========================  ===================================
AWS::CloudTrail::Trail          trail name                  Arn, SnsTopicArn
AWS::CloudWatch::Alarm          alarm name                  Arn
AWS::Logs::MetricFilter         filter name                 (none)
AWS::Logs::QueryDefinition      query definition id         QueryDefinitionId
AWS::SNS::Subscription          subscription ARN            Arn
AWS::SNS::TopicPolicy           generated id                Id
AWS::Athena::WorkGroup          work group name             CreationTime
AWS::Athena::NamedQuery         named query id              NamedQueryId
==============================  ==========================  ===================================

Each model is created, updated in place where CloudFormation updates the type in place, and
replaced (the new resource created first, then the old one deleted, as CloudFormation does)
where a create-only property changes; every model's docstring lists its create-only
properties and what it does not emulate.  A resource without its name property gets the name
CloudFormation would generate (``<stack>-<logical id>-<suffix>``) and keeps it across updates.

moto 5.2.5's CloudWatch Logs has no query definitions at all, so :func:`apply` also adds the
three API operations (PutQueryDefinition, DescribeQueryDefinitions, DeleteQueryDefinition) to
its Logs service, storing the definitions on the Logs backend of the account and region.

Not emulated by any of them: whether a service may use what it is given (key policies, bucket
policies, the trail's CloudWatch Logs role, topic policies are stored, never evaluated), any
delivery (CloudTrail writes no logs, alarms never evaluate metrics, SNS sends no email and an
email subscription is confirmed at once), and drift.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from datetime import datetime, timezone
from typing import Any

# Create-only properties are compared after moto has resolved intrinsics, so a Ref to a
# replaced resource counts as a change exactly when the referenced value changed.
_MISSING = object()


def _bool(value: Any, default: bool | None = None) -> bool | None:
    """A CloudFormation boolean: JSON true/false, or the strings CloudFormation also accepts."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"not a boolean: {value!r}")


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _json_text(value: Any) -> str:
    """A policy or document property: CloudFormation takes a JSON object or its text."""
    return value if isinstance(value, str) else json.dumps(value)


def _models() -> list[type]:
    from moto.athena.exceptions import AthenaClientError
    from moto.athena.models import athena_backends
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    from moto.cloudtrail.models import cloudtrail_backends
    from moto.cloudwatch.models import (
        Dimension,
        Metric,
        MetricDataQuery,
        MetricStat,
        cloudwatch_backends,
    )
    from moto.core.common_models import CloudFormationModel
    from moto.core.exceptions import JsonRESTError
    from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.logs.models import logs_backends
    from moto.sns.exceptions import TopicNotFound
    from moto.sns.models import sns_backends

    class MonitoringModel(CloudFormationModel):
        """What every model here shares.

        ``create_only`` names the properties whose change replaces the resource; ``name_property``
        the property holding its physical name, if it has one.  moto looks name properties up
        in a table it builds once from its own models, so each model reads its own.
        """

        # moto's model metaclass files models by the service named in their module path.
        __module__ = "moto.cloudformation.deploy_harness"
        type_name = ""
        name_property = ""
        create_only: tuple[str, ...] = ()
        attributes: dict[str, str] = {}

        def __init__(self, account_id: str, region_name: str, name: str) -> None:
            self.account_id, self.region_name, self.name = account_id, region_name, name
            self.properties: dict[str, Any] = {}

        @classmethod
        def cloudformation_type(cls) -> str:
            return cls.type_name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr in cls.attributes

        def get_cfn_attribute(self, attribute_name: str) -> Any:
            if attribute_name not in self.attributes:
                raise UnformattedGetAttTemplateException()
            return getattr(self, self.attributes[attribute_name])

        @property
        def physical_resource_id(self) -> str:
            return self.name

        def is_created(self) -> bool:
            return True

        @classmethod
        def physical_name(cls, properties: dict[str, Any], generated: str) -> str:
            if cls.name_property and properties.get(cls.name_property):
                return str(properties[cls.name_property])
            return generated

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, template: Any, account_id: str, region_name: str, **kw: Any
        ) -> MonitoringModel:
            properties = template.get("Properties") or {}
            model = cls(account_id, region_name, cls.physical_name(properties, resource_name))
            model.create(properties)
            model.properties = copy.deepcopy(properties)
            return model

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> MonitoringModel:
            # moto passes these by keyword, so the names are moto's.
            original, new_name, template = (
                original_resource,
                new_resource_name,
                cloudformation_json,
            )
            properties = template.get("Properties") or {}
            replaced = any(
                properties.get(key, _MISSING) != original.properties.get(key, _MISSING)
                for key in cls.create_only
            )
            if replaced:
                # A generated name is generated again for the replacement, as on AWS.
                new = cls.create_from_cloudformation_json(
                    new_name, template, account_id, region_name
                )
                original.delete(account_id, region_name)
                return new
            original.update(properties)
            original.properties = copy.deepcopy(properties)
            return original

        def create(self, properties: dict[str, Any]) -> None:
            raise NotImplementedError

        def update(self, properties: dict[str, Any]) -> None:
            raise NotImplementedError

        def delete(self, account_id: str, region_name: str) -> None:
            raise NotImplementedError

    class TrailResource(MonitoringModel):
        """AWS::CloudTrail::Trail in moto's CloudTrail backend.

        Create-only: TrailName.  In place: the bucket and prefix, the SNS topic, global service
        events, multi-region, log file validation, organization trail, CloudWatch Logs log group
        and role, the KMS key, IsLogging (StartLogging/StopLogging), EventSelectors or
        AdvancedEventSelectors, InsightSelectors and Tags.  moto checks that the bucket and the
        topic exist; nothing checks the bucket policy, the key policy or the role, and no log
        file is ever written.  moto's ``get-event-selectors`` answers what was put, but its
        ``get-trail`` always says ``HasCustomEventSelectors: false``.
        """

        __module__ = "moto.cloudtrail.deploy_harness"
        type_name = "AWS::CloudTrail::Trail"
        name_property = "TrailName"
        create_only = ("TrailName",)
        attributes = {"Arn": "arn", "SnsTopicArn": "sns_topic_arn"}

        @property
        def backend(self) -> Any:
            return cloudtrail_backends[self.account_id][self.region_name]

        @property
        def arn(self) -> str:
            return self.backend.get_trail(self.name).arn

        @property
        def sns_topic_arn(self) -> str | None:
            return self.backend.get_trail(self.name).topic_arn

        def create(self, properties: dict[str, Any]) -> None:
            if self.name in self.backend.trails:
                # moto's create_trail would replace it; CloudTrail refuses.
                raise JsonRESTError(
                    "TrailAlreadyExistsException", f"Trail {self.name} already exists"
                )
            trail = self.backend.create_trail(
                self.name,
                properties["S3BucketName"],
                properties.get("S3KeyPrefix"),
                properties.get("SnsTopicName"),
                _bool(properties.get("IncludeGlobalServiceEvents"), True),
                _bool(properties.get("IsMultiRegionTrail"), False),
                _bool(properties.get("EnableLogFileValidation"), False),
                _bool(properties.get("IsOrganizationTrail"), False),
                properties.get("CloudWatchLogsLogGroupArn"),
                properties.get("CloudWatchLogsRoleArn"),
                properties.get("KMSKeyId"),
                properties.get("Tags") or [],
            )
            self._selectors_and_logging(trail, properties)

        def update(self, properties: dict[str, Any]) -> None:
            trail = self.backend.get_trail(self.name)
            # Every property is set, not only those given: one removed from the template goes
            # back to its default, as CloudFormation's UpdateTrail call does.
            trail.bucket_name = properties["S3BucketName"]
            trail.s3_key_prefix = properties.get("S3KeyPrefix")
            trail.sns_topic_name = properties.get("SnsTopicName")
            trail.include_global_service_events = _bool(
                properties.get("IncludeGlobalServiceEvents"), True
            )
            trail.is_multi_region = _bool(properties.get("IsMultiRegionTrail"), False)
            trail.log_validation = _bool(properties.get("EnableLogFileValidation"), False)
            trail.is_org_trail = _bool(properties.get("IsOrganizationTrail"), False)
            trail.cw_log_group_arn = properties.get("CloudWatchLogsLogGroupArn")
            trail.cw_role_arn = properties.get("CloudWatchLogsRoleArn")
            trail.kms_key_id = properties.get("KMSKeyId")
            trail.check_bucket_exists()
            trail.check_topic_exists()
            tagging = self.backend.tagging_service
            tagging.delete_all_tags_for_resource(trail.arn)
            tagging.tag_resource(trail.arn, properties.get("Tags") or [])
            self._selectors_and_logging(trail, properties)

        def _selectors_and_logging(self, trail: Any, properties: dict[str, Any]) -> None:
            trail.event_selectors = copy.deepcopy(properties.get("EventSelectors") or [])
            trail.advanced_event_selectors = copy.deepcopy(
                properties.get("AdvancedEventSelectors") or []
            )
            # moto's put_insight_selectors appends; the template's list is the whole set.
            trail.insight_selectors = copy.deepcopy(properties.get("InsightSelectors") or [])
            if _bool(properties["IsLogging"]):
                if not trail.status.is_logging:
                    trail.start_logging()
            elif trail.status.is_logging:
                trail.stop_logging()

        def delete(self, account_id: str, region_name: str) -> None:
            trail = self.backend.trails.get(self.name)
            if trail is not None:
                self.backend.tagging_service.delete_all_tags_for_resource(trail.arn)
                self.backend.delete_trail(self.name)

    class AlarmResource(MonitoringModel):
        """AWS::CloudWatch::Alarm (a metric alarm, on one metric or on metric math) in moto's
        CloudWatch backend.

        Create-only: AlarmName.  Everything else is put again in place with PutMetricAlarm,
        which overwrites the whole configuration; the alarm's state is kept, as on AWS.
        Not emulated: evaluation (the state stays as set, ``OK`` at first), the actions
        being taken, and the validation CloudWatch does of a metric-math expression.
        """

        __module__ = "moto.cloudwatch.deploy_harness"
        type_name = "AWS::CloudWatch::Alarm"
        name_property = "AlarmName"
        create_only = ("AlarmName",)
        attributes = {"Arn": "arn"}

        @property
        def backend(self) -> Any:
            return cloudwatch_backends[self.account_id][self.region_name]

        @property
        def arn(self) -> str:
            return self.backend.alarms[self.name].alarm_arn

        @staticmethod
        def _queries(metrics: list[dict[str, Any]] | None) -> list[Any] | None:
            if not metrics:
                return None
            queries = []
            for metric in metrics:
                stat = metric.get("MetricStat")
                metric_stat = None
                if stat:
                    dimensions = [
                        Dimension(d["Name"], d["Value"])
                        for d in stat["Metric"].get("Dimensions") or []
                    ]
                    metric_stat = MetricStat(
                        metric=Metric(
                            metric_name=stat["Metric"]["MetricName"],
                            namespace=stat["Metric"].get("Namespace"),
                            dimensions=dimensions,
                        ),
                        period=_int(stat.get("Period")),  # type: ignore[arg-type]
                        stat=stat.get("Stat"),
                        unit=stat.get("Unit"),
                    )
                queries.append(
                    MetricDataQuery(
                        query_id=metric["Id"],
                        label=metric.get("Label"),  # type: ignore[arg-type]
                        period=_int(metric.get("Period")),  # type: ignore[arg-type]
                        return_data=_bool(metric.get("ReturnData")),  # type: ignore[arg-type]
                        expression=metric.get("Expression"),
                        metric_stat=metric_stat,
                    )
                )
            return queries

        def _put(self, properties: dict[str, Any]) -> Any:
            threshold = properties.get("Threshold")
            return self.backend.put_metric_alarm(
                name=self.name,
                namespace=properties.get("Namespace"),
                metric_name=properties.get("MetricName"),
                metric_data_queries=self._queries(properties.get("Metrics")),
                comparison_operator=properties["ComparisonOperator"],
                evaluation_periods=_int(properties["EvaluationPeriods"]),
                datapoints_to_alarm=_int(properties.get("DatapointsToAlarm")),
                period=_int(properties.get("Period")),
                threshold=None if threshold is None else float(threshold),
                statistic=properties.get("Statistic"),
                extended_statistic=properties.get("ExtendedStatistic"),
                description=properties.get("AlarmDescription"),
                dimensions=properties.get("Dimensions") or [],
                alarm_actions=list(properties.get("AlarmActions") or []),
                ok_actions=list(properties.get("OKActions") or []),
                insufficient_data_actions=list(properties.get("InsufficientDataActions") or []),
                unit=properties.get("Unit"),
                actions_enabled=_bool(properties.get("ActionsEnabled"), True),
                treat_missing_data=properties.get("TreatMissingData"),
                evaluate_low_sample_count_percentile=properties.get(
                    "EvaluateLowSampleCountPercentile"
                ),
                threshold_metric_id=properties.get("ThresholdMetricId"),
            )

        def _tag(self, alarm: Any, properties: dict[str, Any]) -> None:
            self.backend.tagger.delete_all_tags_for_resource(alarm.alarm_arn)
            self.backend.tagger.tag_resource(alarm.alarm_arn, properties.get("Tags") or [])

        def create(self, properties: dict[str, Any]) -> None:
            if self.name in self.backend.alarms:
                # PutMetricAlarm would overwrite it; CloudFormation refuses to take it over.
                raise ValueError(f"alarm {self.name} already exists")
            self._tag(self._put(properties), properties)

        def update(self, properties: dict[str, Any]) -> None:
            previous = self.backend.alarms[self.name]
            alarm = self._put(properties)
            alarm.history = previous.history
            alarm.state_value = previous.state_value
            alarm.state_reason = previous.state_reason
            alarm.state_reason_data = previous.state_reason_data
            alarm.state_updated_timestamp = previous.state_updated_timestamp
            self._tag(alarm, properties)

        def delete(self, account_id: str, region_name: str) -> None:
            alarm = self.backend.alarms.get(self.name)
            if alarm is not None:
                self.backend.tagger.delete_all_tags_for_resource(alarm.alarm_arn)
                self.backend.delete_alarms([self.name])

    class MetricFilterResource(MonitoringModel):
        """AWS::Logs::MetricFilter in moto's Logs backend.

        Create-only: FilterName, LogGroupName.  In place: FilterPattern and
        MetricTransformations (exactly one, as the API requires; its Dimensions list becomes
        the API's map).  The log group must exist, as on AWS.  Not emulated: matching log
        events and publishing the metric, pattern syntax checks, ApplyOnTransformedLogs (moto
        stores no such field).
        """

        __module__ = "moto.logs.deploy_harness"
        type_name = "AWS::Logs::MetricFilter"
        name_property = "FilterName"
        create_only = ("FilterName", "LogGroupName")

        @property
        def backend(self) -> Any:
            return logs_backends[self.account_id][self.region_name]

        @staticmethod
        def _transformations(properties: dict[str, Any]) -> list[dict[str, Any]]:
            given = properties.get("MetricTransformations") or []
            if len(given) != 1:
                raise InvalidParameterException(
                    constraint="Fixed number of 1 item.",
                    parameter="metricTransformations",
                    value=str(len(given)),
                )
            transformations = []
            for item in given:
                api = {
                    "metricName": item["MetricName"],
                    "metricNamespace": item["MetricNamespace"],
                    "metricValue": str(item["MetricValue"]),
                }
                if item.get("DefaultValue") is not None:
                    api["defaultValue"] = float(item["DefaultValue"])
                if item.get("Dimensions"):
                    api["dimensions"] = {d["Key"]: d["Value"] for d in item["Dimensions"]}
                if item.get("Unit"):
                    api["unit"] = item["Unit"]
                transformations.append(api)
            return transformations

        def create(self, properties: dict[str, Any]) -> None:
            self.log_group = properties["LogGroupName"]
            if self.log_group not in self.backend.groups:
                raise ResourceNotFoundException()
            self._put(properties)

        def _put(self, properties: dict[str, Any]) -> None:
            self.backend.put_metric_filter(
                self.name,
                properties.get("FilterPattern", ""),
                self.log_group,
                self._transformations(properties),
            )

        def update(self, properties: dict[str, Any]) -> None:
            transformations = self._transformations(properties)  # refused before removing
            # moto appends on every put; PutMetricFilter replaces the filter of that name.
            self.backend.delete_metric_filter(self.name, self.log_group)
            self.backend.put_metric_filter(
                self.name, properties.get("FilterPattern", ""), self.log_group, transformations
            )

        def delete(self, account_id: str, region_name: str) -> None:
            self.backend.delete_metric_filter(self.name, self.log_group)

    class QueryDefinitionResource(MonitoringModel):
        """AWS::Logs::QueryDefinition in the query definitions :func:`apply` adds to moto's Logs.

        Everything updates in place (Name, QueryString, LogGroupNames, QueryLanguage), keeping
        the id.  Not emulated: running the query, its syntax, whether the log groups exist.
        """

        __module__ = "moto.logs.deploy_harness"
        type_name = "AWS::Logs::QueryDefinition"
        attributes = {"QueryDefinitionId": "name"}

        def create(self, properties: dict[str, Any]) -> None:
            # The physical id is the definition's id, which the service assigns.
            self.name = put_query_definition(
                logs_backends[self.account_id][self.region_name], properties, None
            )

        def update(self, properties: dict[str, Any]) -> None:
            put_query_definition(
                logs_backends[self.account_id][self.region_name], properties, self.name
            )

        def delete(self, account_id: str, region_name: str) -> None:
            query_definitions(logs_backends[account_id][region_name]).pop(self.name, None)

    class SubscriptionResource(MonitoringModel):
        """AWS::SNS::Subscription in moto's SNS backend.

        Create-only: TopicArn, Protocol, Endpoint.  In place: FilterPolicy, FilterPolicyScope,
        RawMessageDelivery, DeliveryPolicy, RedrivePolicy, SubscriptionRoleArn (set, or reset
        when removed from the template).  moto confirms every subscription at once (an email
        endpoint gets no confirmation message), so the Ref is always the subscription's ARN.
        Not emulated: Region other than the topic's, ReplayPolicy, any delivery.
        """

        __module__ = "moto.sns.deploy_harness"
        type_name = "AWS::SNS::Subscription"
        create_only = ("TopicArn", "Protocol", "Endpoint")
        attributes = {"Arn": "name"}
        # Set in this order: moto validates a filter policy against the scope already set.
        settable = (
            "FilterPolicyScope",
            "FilterPolicy",
            "RawMessageDelivery",
            "DeliveryPolicy",
            "RedrivePolicy",
            "SubscriptionRoleArn",
        )

        def _backend(self, topic_arn: str) -> Any:
            # The topic's own region and account, wherever the stack is.
            _, _, _, region, account, _ = topic_arn.split(":", 5)
            return sns_backends[account][region]

        def create(self, properties: dict[str, Any]) -> None:
            self.topic_arn = properties["TopicArn"]
            backend = self._backend(self.topic_arn)
            subscription = backend.subscribe(
                self.topic_arn, properties["Endpoint"], properties["Protocol"]
            )
            self.name = subscription.arn
            self._set_attributes(backend, properties)

        def update(self, properties: dict[str, Any]) -> None:
            self._set_attributes(self._backend(self.topic_arn), properties)

        def _set_attributes(self, backend: Any, properties: dict[str, Any]) -> None:
            subscription = backend.subscriptions[self.name]
            for key in self.settable:
                value = properties.get(key)
                if value is None:
                    if key == "FilterPolicy":
                        backend.set_subscription_attributes(self.name, key, "")
                    if key == "RawMessageDelivery":
                        subscription.attributes[key] = False
                    else:
                        subscription.attributes.pop(key, None)
                    continue
                if isinstance(value, (dict, list)):
                    value = json.dumps(value)
                elif isinstance(value, bool):
                    value = "true" if value else "false"
                backend.set_subscription_attributes(self.name, key, str(value))

        def delete(self, account_id: str, region_name: str) -> None:
            self._backend(self.topic_arn).unsubscribe(self.name)

    class TopicPolicyResource(MonitoringModel):
        """AWS::SNS::TopicPolicy: the ``Policy`` attribute of every topic in ``Topics``.

        Everything updates in place: a topic dropped from ``Topics`` gets the default policy
        back, as it does when the resource is deleted (topics already gone are skipped).  The
        physical id is generated, as CloudFormation's is.  Not emulated: evaluation.
        """

        __module__ = "moto.sns.deploy_harness"
        type_name = "AWS::SNS::TopicPolicy"
        attributes = {"Id": "name"}

        def create(self, properties: dict[str, Any]) -> None:
            self.topics: list[str] = []
            self.update(properties)

        def update(self, properties: dict[str, Any]) -> None:
            document = json.loads(_json_text(properties["PolicyDocument"]))
            topics = list(properties["Topics"])
            for arn in topics:
                self._topic(arn).policy = json.dumps(document)
            self._restore_default([arn for arn in self.topics if arn not in topics])
            self.topics = topics

        def _topic(self, arn: str) -> Any:
            _, _, _, region, account, _ = arn.split(":", 5)
            return sns_backends[account][region].get_topic(arn)

        def _restore_default(self, arns: list[str]) -> None:
            for arn in arns:
                try:
                    topic = self._topic(arn)
                except TopicNotFound:
                    continue
                topic._policy_json = topic._create_default_topic_policy(
                    topic.sns_backend.region_name, topic.account_id, topic.name
                )

        def delete(self, account_id: str, region_name: str) -> None:
            self._restore_default(self.topics)

    class WorkGroupResource(MonitoringModel):
        """AWS::Athena::WorkGroup in moto's Athena backend.

        Create-only: Name.  In place: Description, State, WorkGroupConfiguration and Tags.
        Deleting a work group that still holds named queries fails unless
        RecursiveDeleteOption is true, which deletes them with it, as Athena does.  Not
        emulated: the configuration's effect on queries (result location, encryption,
        limits), and the EngineVersion attribute (moto reports version 3 whatever is asked).
        """

        __module__ = "moto.athena.deploy_harness"
        type_name = "AWS::Athena::WorkGroup"
        name_property = "Name"
        create_only = ("Name",)
        attributes = {"CreationTime": "creation_time"}

        @property
        def backend(self) -> Any:
            return athena_backends[self.account_id][self.region_name]

        def create(self, properties: dict[str, Any]) -> None:
            if self.name in self.backend.work_groups:
                raise AthenaClientError("InvalidRequestException", "WorkGroup is already created")
            self.creation_time = datetime.now(timezone.utc).isoformat()
            self._put(properties)

        def _put(self, properties: dict[str, Any]) -> None:
            tags = properties.get("Tags") or []
            work_group = self.backend.create_work_group(
                name=self.name,
                configuration=copy.deepcopy(properties.get("WorkGroupConfiguration") or {}),
                description=properties.get("Description", ""),
                tags=tags,
            )
            if properties.get("State", "ENABLED") != "ENABLED":
                work_group.state = properties["State"]

        def update(self, properties: dict[str, Any]) -> None:
            # moto has no UpdateWorkGroup: the work group is put again under its name (same ARN),
            # so that moto fills in the configuration's defaults as for a new one; named queries
            # refer to it by name and stay in it.
            old = self.backend.work_groups.pop(self.name)
            self.backend.tagger.delete_all_tags_for_resource(old.arn)
            self._put(properties)

        def delete(self, account_id: str, region_name: str) -> None:
            work_group = self.backend.work_groups.get(self.name)
            if work_group is None:
                return
            queries = [
                query_id
                for query_id, query in self.backend.named_queries.items()
                if query.workgroup.name == self.name
            ]
            if queries and not _bool(self.properties.get("RecursiveDeleteOption"), False):
                raise AthenaClientError(
                    "InvalidRequestException",
                    f"WorkGroup {self.name} is not empty (it holds named queries)",
                )
            for query_id in queries:
                del self.backend.named_queries[query_id]
            self.backend.tagger.delete_all_tags_for_resource(work_group.arn)
            self.backend.delete_work_group(self.name)

    class NamedQueryResource(MonitoringModel):
        """AWS::Athena::NamedQuery in moto's Athena backend.

        Every property (Name, Database, QueryString, Description, WorkGroup) is create-only
        in CloudFormation, so any change replaces the query with a new id.  The work group
        (``primary`` when none is given) must exist.  Not emulated: the query's syntax, and
        whether the database exists.
        """

        __module__ = "moto.athena.deploy_harness"
        type_name = "AWS::Athena::NamedQuery"
        create_only = ("Name", "Database", "QueryString", "Description", "WorkGroup")
        attributes = {"NamedQueryId": "name"}

        def create(self, properties: dict[str, Any]) -> None:
            backend = athena_backends[self.account_id][self.region_name]
            work_group = properties.get("WorkGroup") or "primary"
            if work_group not in backend.work_groups:
                raise AthenaClientError(
                    "InvalidRequestException", f"WorkGroup {work_group} does not exist"
                )
            # The physical id is the query's id, which the service assigns.
            self.name = backend.create_named_query(
                properties.get("Name") or self.name,
                properties.get("Description", ""),
                properties["Database"],
                properties["QueryString"],
                work_group,
            )

        def update(self, properties: dict[str, Any]) -> None:
            """Nothing updates in place: every property is create-only."""

        def delete(self, account_id: str, region_name: str) -> None:
            athena_backends[account_id][region_name].named_queries.pop(self.name, None)

    return [
        TrailResource,
        AlarmResource,
        MetricFilterResource,
        QueryDefinitionResource,
        SubscriptionResource,
        TopicPolicyResource,
        WorkGroupResource,
        NamedQueryResource,
    ]


# --------------------------------------------------------------------------------------------
# CloudWatch Logs query definitions (no such API in moto 5.2.5)
# --------------------------------------------------------------------------------------------


def query_definitions(backend: Any) -> dict[str, dict[str, Any]]:
    """The query definitions of one Logs backend (one account and region), by id.

    Kept in the backend's own ``__dict__`` so that moto's reset of a backend clears them too.
    """
    return backend.__dict__.setdefault("deploy_harness_query_definitions", {})


def put_query_definition(
    backend: Any, properties: dict[str, Any], definition_id: str | None
) -> str:
    """PutQueryDefinition with CloudFormation's or the API's spelling of the fields.

    A new id when ``definition_id`` is None; an unknown id is ResourceNotFoundException, as
    the API answers.
    """
    from moto.logs.exceptions import ResourceNotFoundException

    def field(name: str) -> Any:
        return properties.get(name, properties.get(name[0].lower() + name[1:]))

    definitions = query_definitions(backend)
    if definition_id is None:
        definition_id = str(uuid.uuid4())
    elif definition_id not in definitions:
        raise ResourceNotFoundException("The specified query definition does not exist.")
    definitions[definition_id] = {
        "queryLanguage": field("QueryLanguage") or "CWLI",
        "queryDefinitionId": definition_id,
        "name": field("Name"),
        "queryString": field("QueryString"),
        "lastModified": int(time.time() * 1000),
        "logGroupNames": list(field("LogGroupNames") or []),
    }
    return definition_id


def _logs_responses() -> dict[str, Any]:
    """The three API operations, as methods of moto's ``LogsResponse``."""
    from moto.logs.exceptions import ResourceNotFoundException

    def put_query_definition_action(self: Any) -> str:
        fields = {
            key: self._get_param(key)
            for key in ("name", "queryString", "logGroupNames", "queryLanguage")
        }
        definition_id = put_query_definition(
            self.logs_backend, fields, self._get_param("queryDefinitionId")
        )
        return json.dumps({"queryDefinitionId": definition_id})

    def describe_query_definitions(self: Any) -> str:
        prefix = self._get_param("queryDefinitionNamePrefix") or ""
        language = self._get_param("queryLanguage")
        limit = int(self._get_param("maxResults") or 1000)
        start = int(self._get_param("nextToken") or 0)
        matching = sorted(
            (
                definition
                for definition in query_definitions(self.logs_backend).values()
                if definition["name"].startswith(prefix)
                and (language is None or definition["queryLanguage"] == language)
            ),
            key=lambda definition: (definition["name"], definition["queryDefinitionId"]),
        )
        page = matching[start : start + limit]
        answer: dict[str, Any] = {"queryDefinitions": page}
        if start + limit < len(matching):
            answer["nextToken"] = str(start + limit)
        return json.dumps(answer)

    def delete_query_definition(self: Any) -> str:
        definition_id = self._get_param("queryDefinitionId")
        if query_definitions(self.logs_backend).pop(definition_id, None) is None:
            raise ResourceNotFoundException("The specified query definition does not exist.")
        return json.dumps({"success": True})

    return {
        "put_query_definition": put_query_definition_action,
        "describe_query_definitions": describe_query_definitions,
        "delete_query_definition": delete_query_definition,
    }


def apply() -> None:
    """Registers the models with moto's CloudFormation and adds query definitions to Logs."""
    from moto.cloudformation import parsing
    from moto.logs.responses import LogsResponse

    for name, method in _logs_responses().items():
        if hasattr(LogsResponse, name):
            raise RuntimeError(f"moto's LogsResponse already has {name}: drop the stand-in")
        setattr(LogsResponse, name, method)

    model_map = parsing.get_model_map()
    for model in _models():
        if model.cloudformation_type() in model_map:
            raise RuntimeError(f"moto already models {model.cloudformation_type()}")
        model_map[model.cloudformation_type()] = model
