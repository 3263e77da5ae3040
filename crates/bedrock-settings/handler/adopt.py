# ruff: noqa: F821
# Appended to index.py in the templates of stacks another tool deployed (MDAA): Create adopts
# the configuration that tool's custom resource (AdoptConfigurationOf, in stack AdoptInStack) put
# to this stack's own stores, recording it; Delete puts it back while that resource is still in
# the stack (the switch rolled back), and removes it like any of this stack's once it has left.
# Kept out of index.py so that templates without a predecessor stay small.
ADOPT, IN_STACK = "AdoptConfigurationOf", "AdoptInStack"
LOGICAL_ID = re.compile(r"[A-Za-z0-9]{1,255}")
create_own, delete_own = create, delete


def adopted_from(props):
    name, stack = props.get(ADOPT), props.get(IN_STACK)
    if not (isinstance(name, str) and LOGICAL_ID.fullmatch(name) and isinstance(stack, str)):
        raise Malformed(f"{ADOPT} must be a logical ID and {IN_STACK} a stack")
    return name, stack


def within(cfg, props):
    """Whether cfg delivers only to this stack's destinations (and to at least one)."""
    found = destinations(cfg)
    return bool(found) and found <= {props.get(n) for n in DESTINATIONS} - {None}


def stands(left, stack, logical_id):
    """Whether the stack still has `logical_id`; when CloudFormation cannot say, it is
    taken to stand, so that logging stays on."""
    client = boto3.client("cloudformation", config=CONFIG)
    try:
        call(left, client.describe_stack_resource, StackName=stack, LogicalResourceId=logical_id)
        return True
    except ClientError as e:
        if code(e) == "ValidationError" and "does not exist" in describe(e):
            return False
        LOG.warning("Cannot tell whether %s is in the stack: %s", logical_id, describe(e))
        return True


def create(props, left):
    (predecessor, _), name = adopted_from(props), record_name(props)
    current = get(left, bedrock())
    if not (current and within(current, props)):
        return create_own(props, left)
    if not name:
        raise Malformed(f"{RECORD} is required when {ADOPT} is given")
    cfg, value = parse(props), json.dumps(current, sort_keys=True)
    parameter(left, ssm().put_parameter, Name=name, Value=value, Type="String", Overwrite=True)
    put(left, bedrock(), cfg)
    return configured(cfg, f"; adopted the configuration of {predecessor}, recorded in {name}")


def delete(props, physical, left):
    try:
        (predecessor, stack), name = adopted_from(props), record_name(props)
    except Malformed:
        return delete_own(props, physical, left)
    adopted = read_record(left, name) if name else None
    if not (adopted and within(adopted, props)):
        return delete_own(props, physical, left)
    if not stands(left, stack, predecessor):
        # The switch is complete: the adopted configuration is this stack's own.
        parameter(left, ssm().delete_parameter, Name=name)
        return delete_own({**props, RECORD: None}, physical, left)
    current = get(left, bedrock())
    if current and not within(current, props):
        return f"Left the current configuration in place: it delivers to {where(current)}"
    put(left, bedrock(), adopted)
    parameter(left, ssm().delete_parameter, Name=name)
    return f"Put back the configuration of {predecessor}, which is still in the stack"
