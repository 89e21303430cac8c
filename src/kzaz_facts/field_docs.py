"""Field docstrings -> field descriptions, the text ``kzaz schema`` gives each field.

A string right under a field in a class body describes it, as with pydantic's
``use_attribute_docstrings``; that option finds each class's source by walking the frames
of its creation (before Python 3.13), which looks through every loaded module once per
class: a fifth of the time importing the records took. Here each module's source is parsed
once, when its first model is created.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache

from pydantic import BaseModel


def describe_fields(model: type[BaseModel]) -> None:
    """Give each field of ``model`` that has no description the docstring under it in the
    class body (call it before the model is built: its config has ``defer_build``)."""
    docs = _field_docs(model.__module__).get(model.__qualname__, {})
    for name, field in model.model_fields.items():
        if field.description is None and name in docs:
            field.description = docs[name]


@cache
def _field_docs(module: str) -> dict[str, dict[str, str]]:
    """Per class of ``module``, the docstring under each annotated attribute (none where
    the source cannot be read, as with pydantic's option)."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError):
        return {}
    return {
        node.name: _attribute_docs(node.body)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


def _attribute_docs(body: list[ast.stmt]) -> dict[str, str]:
    """``x: int`` followed by a string statement: that string, cleaned as a docstring is.

    >>> source = "class A:\\n  'A.'\\n  x: int\\n  '  The x.'\\n  y: int = 0\\n  z = 1\\n  'no'"
    >>> _attribute_docs(ast.parse(source).body[0].body)
    {'x': 'The x.'}
    """
    docs: dict[str, str] = {}
    for previous, statement in zip([None, *body], body, strict=False):
        if (
            isinstance(previous, ast.AnnAssign)
            and isinstance(previous.target, ast.Name)
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            docs[previous.target.id] = inspect.cleandoc(statement.value.value)
    return docs
