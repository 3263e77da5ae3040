"""Properties of the handler source itself, which the template embeds as inline code."""

import ast
import inspect
import sys

from handler_support import HANDLER_PATH

SOURCE = HANDLER_PATH.read_bytes()


def test_parses_as_python_3_9():
    # Lambda runs python3.14, but the code stays valid for 3.9 and later.
    ast.parse(SOURCE, filename=str(HANDLER_PATH), feature_version=(3, 9))


def test_imports_only_the_standard_library_and_boto3():
    imported = set()
    for node in ast.walk(ast.parse(SOURCE)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"boto3", "botocore"}


def test_is_ascii_and_small_enough_to_inline():
    # The whole template must stay under 51,200 bytes (the largest is about 48 KB); the
    # handler is most of it, so it grows only on purpose.
    SOURCE.decode("ascii")
    assert len(SOURCE) < 20 * 1024
    assert b"\r" not in SOURCE and b"\t" not in SOURCE
    assert SOURCE.endswith(b"\n")


def test_entry_point_is_index_handler(handler_module):
    assert HANDLER_PATH.name == "index.py"
    assert list(inspect.signature(handler_module.handler).parameters) == [
        "event",
        "context",
    ]
