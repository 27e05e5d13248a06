"""Many rows through one statement, without SQLAlchemy's per-row bookkeeping.

A night run writes two rows per checked link (the check, the state moved on). Through
`connection.execute(statement, list_of_dicts)` SQLAlchemy builds and processes every
row's parameters in Python, which cost as much as the checking itself and held the GIL
the event loop needs. Here the statement is compiled once per dialect, each column's
own bind processor (SQLite's datetime-to-text, say) is looked up once, and the rows go
to the driver's executemany as plain tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Executable

#: a column type's conversion of a Python value for the driver, or None for as-is
Processor = Any


class BulkStatement:
    """`statement` with one bind parameter per name in `names`, run for many rows."""

    def __init__(self, statement: Executable, names: Sequence[str]) -> None:
        self.statement = statement
        self.names = tuple(names)
        self._compiled: dict[str, tuple[str, list[int] | None, list[Processor]]] = {}

    def _prepare(self, connection: Connection) -> tuple[str, list[int] | None, list[Processor]]:
        dialect = connection.dialect
        prepared = self._compiled.get(dialect.name)
        if prepared is None:
            compiled = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            assert isinstance(compiled, SQLCompiler)
            processors = [
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                for name in self.names
            ]
            # positional drivers (SQLite's qmark) take the parameters in statement order
            order = (
                [self.names.index(name) for name in compiled.positiontup]
                if compiled.positiontup is not None
                else None
            )
            prepared = self._compiled[dialect.name] = (compiled.string, order, processors)
        return prepared

    def execute(self, connection: Connection, rows: Sequence[Sequence[Any]]) -> None:
        """Run the statement once per row; each row holds values in `names` order."""
        if not rows:
            return
        sql, order, processors = self._prepare(connection)
        converted = [
            [
                value if process is None else process(value)
                for value, process in zip(row, processors, strict=True)
            ]
            for row in rows
        ]
        if order is not None:
            params: list[Any] = [tuple(row[i] for i in order) for row in converted]
        else:
            params = [dict(zip(self.names, row, strict=True)) for row in converted]
        connection.exec_driver_sql(sql, params)


__all__ = ["BulkStatement"]
