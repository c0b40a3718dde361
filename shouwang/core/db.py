"""Raw SQL lives here and in core/sqlite/, and nowhere else; so do the private
parts of Django it needs (CONTRIBUTING.md, "Raw SQL and private attributes";
core/tests/test_fence.py holds every other module to it).

Why any: during the morning wave the whole college checks in within the hour,
and for a one-row SELECT or INSERT the ORM spends several times longer building
the statement and the model than the database spends running it. Each query of
the check-in that is written here instead saved between a tenth and two-thirds
of the POST's instructions (docs/performance.md has the table).

Each query is named for what it finds or writes, is built from the models'
`_meta` (no table or column is written by hand) and has an ORM twin in
`ORM_TWINS`, the ORM's way to the same rows: core/tests/test_db.py holds each
pair to the same answers, and `bench/checkin_request.py --callgrind` puts the
twin in its place to measure what the query is still worth. core imports no
domain app: a query about a domain's models is handed the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar, cast

from django.apps import apps
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Field, ManyToManyField, Model, QuerySet
from django.utils import timezone

M = TypeVar("M", bound=Model)


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


# -- reading rows as instances -------------------------------------------------


@cache
def _columns(model: type[Model], alias: str) -> tuple[str, list[str], list]:
    """The model's columns for a SELECT (named with their table), their
    attribute names in that order, and each column's converters (what the
    ORM's compiler would apply, worked out once)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields)
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return columns, [f.attname for f in fields], converters


def _instance(model: type[M], alias: str, values: list) -> M:
    connection = connections[alias]
    _, names, converters = _columns(model, alias)
    for position, functions, column in converters:
        value = values[position]
        for function in functions:
            value = function(value, column, connection)
        values[position] = value
    return model.from_db(alias, names, values)


def _select(model: type[M], where: str, params: Sequence) -> list[M]:
    """Instances of `model` from `SELECT <its columns> FROM <its table> <where>`."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    columns, _, _ = _columns(model, alias)
    sql = f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)} {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_instance(model, alias, list(row)) for row in rows]


@cache
def _join(model: type[Model], related: str, alias: str) -> tuple[str, type[Model], int]:
    """The SELECT of a row by primary key with the row its foreign key `related`
    points to, that model, and the position of its primary key in the row."""
    quote = connections[alias].ops.quote_name
    field = _field(model, related)
    other = cast(type[Model], field.related_model)
    table, other_table = quote(model._meta.db_table), quote(other._meta.db_table)
    other_pk = cast(Field, other._meta.pk)
    sql = (
        f"SELECT {_columns(model, alias)[0]}, {_columns(other, alias)[0]} "  # noqa: S608
        f"FROM {table} LEFT JOIN {other_table} "
        f"ON {other_table}.{quote(other_pk.column)} = {table}.{quote(field.column)} "
        f"WHERE {table}.{quote(cast(Field, model._meta.pk).column)} = %s"
    )
    pk_position = len(model._meta.concrete_fields) + list(other._meta.concrete_fields).index(
        other_pk
    )
    return sql, other, pk_position


def get_by_pk(model: type[M], pk: Any, *, related: str | None = None) -> M | None:
    """The row with primary key `pk` as an instance, or None. With `related`
    (a foreign key's name), the row it points to comes in the same query.

    The user and their person, on every request of a logged-in user."""
    alias = router.db_for_read(model)
    if related is None:
        pk_column = connections[alias].ops.quote_name(cast(Field, model._meta.pk).column)
        found = _select(model, f"WHERE {pk_column} = %s", [pk])
        return found[0] if found else None
    sql, other, pk_position = _join(model, related, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(model._meta.concrete_fields)
    instance = _instance(model, alias, list(row[:width]))
    if row[pk_position] is not None:
        setattr(instance, related, _instance(other, alias, list(row[width:])))
    return instance


def _get_by_pk_orm(model: type[M], pk: Any, *, related: str | None = None) -> M | None:
    rows = model._default_manager.all()
    if related is not None:
        rows = rows.select_related(related)
    return rows.filter(pk=pk).first()


@cache
def _exists_statement(model: type[Model], alias: str, names: tuple[str, ...]) -> str:
    quote = connections[alias].ops.quote_name
    conditions = " AND ".join(f"{quote(_field(model, name).column)} = %s" for name in names)
    return f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {conditions} LIMIT 1"  # noqa: S608


def exists(model: type[Model], **equals: Any) -> bool:
    """Whether a row of `model` has these values (field name: value; a foreign
    key by its attribute, `person_id`).

    The privacy notice's acceptance, on every check-in request."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    params = [
        _field(model, name).get_db_prep_value(value, connection, prepared=False)
        for name, value in equals.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(_exists_statement(model, alias, tuple(equals)), params)
        return cursor.fetchone() is not None


def _exists_orm(model: type[Model], **equals: Any) -> bool:
    return model._default_manager.filter(**equals).exists()


@cache
def _session_statement(alias: str) -> str:
    session = apps.get_model("sessions", "Session")
    quote = connections[alias].ops.quote_name
    data, key, expiry = (
        quote(_field(session, name).column)
        for name in ("session_data", "session_key", "expire_date")
    )
    table = quote(session._meta.db_table)
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608


def unexpired_session_data(session_key: str | None) -> str | None:
    """The stored data of the session `session_key` unless it has expired (the
    expired are left to `clearsessions`), or None.

    Every request of a logged-in user loads its session."""
    alias = router.db_for_read(apps.get_model("sessions", "Session"))
    connection = connections[alias]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_session_statement(alias), [session_key, now])
        row = cursor.fetchone()
    return None if row is None else row[0]


def _unexpired_session_data_orm(session_key: str | None) -> str | None:
    session = apps.get_model("sessions", "Session")
    unexpired = session.objects.filter(session_key=session_key, expire_date__gt=timezone.now())
    return unexpired.values_list("session_data", flat=True).first()


@cache
def _covering_where(model: type[Model], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    units = cast(ManyToManyField, model._meta.get_field("units"))
    through = quote(units.remote_field.through._meta.db_table)  # type: ignore[union-attr]
    unit = cast(type[Model], units.related_model)
    table, unit_table = quote(model._meta.db_table), quote(unit._meta.db_table)
    pk, unit_pk = (quote(cast(Field, m._meta.pk).column) for m in (model, unit))
    parent = quote(_field(unit, "parent").column)
    closed_at, started_at = (quote(_field(model, n).column) for n in ("closed_at", "started_at"))
    # UNION in the recursive part stops at a cycle in the tree.
    return (
        f"WHERE {table}.{closed_at} IS NULL AND {table}.{pk} IN ("  # noqa: S608
        f" SELECT {quote(units.m2m_column_name())} FROM {through}"
        f" WHERE {quote(units.m2m_reverse_name())} IN ("
        f"  WITH RECURSIVE up(id, parent_id) AS ("
        f"   SELECT {unit_pk}, {parent} FROM {unit_table} WHERE {unit_pk} = %s"
        f"   UNION"
        f"   SELECT {unit_table}.{unit_pk}, {unit_table}.{parent}"
        f"   FROM {unit_table} JOIN up ON {unit_table}.{unit_pk} = up.parent_id"
        f"  )"
        f"  SELECT id FROM up"
        f" )"
        f") ORDER BY {table}.{started_at}, {table}.{pk}"
    )


def open_incidents_covering_unit(model: type[M], unit_id: int) -> list[M]:
    """The open incidents (`model`: incidents.Incident) covering the unit or a
    unit above it, the earliest opened first, in one query.

    Every check-in request asks which incident covers the person."""
    return _select(model, _covering_where(model, router.db_for_read(model)), [unit_id])


def _open_incidents_covering_unit_orm(model: type[M], unit_id: int) -> list[M]:
    units = cast(ManyToManyField, model._meta.get_field("units"))
    unit = cast(type[Model], units.related_model)
    line: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in line:
        line.append(current)
        parents = unit._default_manager.filter(pk=current).values_list("parent_id", flat=True)
        current = parents.first()
    covering = model._default_manager.filter(closed_at__isnull=True, units__in=line)
    return list(covering.distinct().order_by("started_at", "pk"))


# -- writing rows --------------------------------------------------------------


def insert_fields(model: type[Model]) -> list[Field]:
    """The fields an INSERT of `model` writes, in its order."""
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@cache
def _insert_statement(model: type[Model], alias: str, conflict: tuple[str, ...]) -> str:
    quote = connections[alias].ops.quote_name
    fields = insert_fields(model)
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    if conflict:
        targets = ", ".join(quote(_field(model, name).column) for name in conflict)
        sql += f" ON CONFLICT ({targets}) DO NOTHING"
    # RETURNING needs SQLite 3.35 or PostgreSQL.
    return f"{sql} RETURNING {quote(model._meta.pk.column)}"  # type: ignore[union-attr]


class Insert:
    """One row's INSERT, its values worked out when made and written by `run()`.

    Made before a transaction begins, so that the transaction, which holds
    SQLite's one write lock from BEGIN to COMMIT, spends it on the statements
    alone: converting a dozen values costs more than running the INSERT. With
    `unless_conflict_on` (the fields of a unique constraint), a row that would
    break the constraint is not written, without the savepoint the ORM needs to
    survive an IntegrityError. Signals are not sent and `save()` is not called:
    only for models that rely on neither."""

    def __init__(self, instance: Model, *, unless_conflict_on: tuple[str, ...] = ()):
        model = type(instance)
        self.instance = instance
        self.alias = router.db_for_write(model, instance=instance)
        self.sql = _insert_statement(model, self.alias, unless_conflict_on)
        connection = connections[self.alias]
        self.values = [
            field.get_db_prep_save(field.pre_save(instance, add=True), connection)
            for field in insert_fields(model)
        ]

    def set(self, **values: Any) -> None:
        """Change fields before the row is written (a key known only by then)."""
        connection = connections[self.alias]
        fields = insert_fields(type(self.instance))
        for name, value in values.items():
            setattr(self.instance, name, value)
            position = next(i for i, f in enumerate(fields) if name in (f.name, f.attname))
            self.values[position] = fields[position].get_db_prep_save(value, connection)

    def run(self) -> bool:
        """Write the row and set the instance's primary key; True if written."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.values)
            row = cursor.fetchone()
        if row is None:
            return False
        self.instance.pk = row[0]
        self.instance._state.adding = False
        self.instance._state.db = self.alias
        return True


class _InsertOrm:
    """Insert through the ORM: a savepoint, the constraint's error caught."""

    def __init__(self, instance: Model, *, unless_conflict_on: tuple[str, ...] = ()):
        self.instance = instance

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.instance, name, value)

    def run(self) -> bool:
        try:
            with transaction.atomic():
                self.instance.save(force_insert=True)
        except IntegrityError:
            self.instance.pk = None
            return False
        return True


def db_values(model: type[Model], values: dict[str, object]) -> list:
    """`values` (field name: value) as the ORM would write them to `model`'s
    database, in their order: for `insert_many`."""
    connection = connections[router.db_for_write(model)]
    return [
        _field(model, name).get_db_prep_save(value, connection) for name, value in values.items()
    ]


def insert_many(model: type[Model], names: list[str], rows: list[list]) -> None:
    """INSERT many rows of `model` in one executemany: each row's values, already
    converted for the database, for the fields `names`, in that order.

    Thousands of rows this way take no model instances and no per-value
    conversion: for bulk_create, those cost more than the INSERTs."""
    alias = router.db_for_write(model)
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(_field(model, n).column) for n in names)
    values = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    with connections[alias].cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_many_orm(model: type[Model], names: list[str], rows: list[list]) -> None:
    """insert_many from the values as the model holds them."""
    attnames = [_field(model, name).attname for name in names]
    model._default_manager.bulk_create(
        [model(**dict(zip(attnames, row, strict=True))) for row in rows]
    )


def insert_for_each(
    model: type[Model],
    queryset: QuerySet,
    field: str,
    constants: dict[str, object],
    *,
    unless_conflict_on: tuple[str, ...] = (),
) -> int:
    """INSERT one `model` row per row of `queryset`, whose primary key goes into
    `field` and `constants` into the rest, in one INSERT … SELECT; returns how
    many were written. Fields not named are NULL: only for models whose other
    fields are nullable.

    Thirty thousand receipts this way take one statement and no Python objects."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    names = [*constants, field]
    fields = [_field(model, name) for name in names]
    columns = ", ".join(quote(f.column) for f in fields)
    values = [
        f.get_db_prep_save(value, connection)
        for f, value in zip(fields[:-1], constants.values(), strict=True)
    ]
    # Ordering an INSERT's rows costs a sort and changes nothing.
    source, params = queryset.order_by().values("pk").query.sql_with_params()
    placeholders = ", ".join(["%s"] * len(values))
    # "WHERE true" tells SQLite's parser that ON CONFLICT is not a join's ON.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {placeholders}, source.{quote('pk')} "
        f"FROM ({source}) AS source WHERE true"
    )
    if unless_conflict_on:
        targets = ", ".join(quote(_field(model, name).column) for name in unless_conflict_on)
        sql += f" ON CONFLICT ({targets}) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        return cursor.rowcount


@cache
def _upsert_statements(
    model: type[Model], alias: str, on: tuple[str, ...], update: tuple[str, ...], unless_same: str
) -> tuple[str, str, list[Field]]:
    """Upsert's INSERT and UPDATE for `model`, and the fields the UPDATE
    returns: the primary key and those it keeps (neither `on` nor `update`)."""
    meta = model._meta
    quote = connections[alias].ops.quote_name

    def column(name: str) -> str:
        return quote(cast(Field, meta.get_field(name)).column)

    table = quote(meta.db_table)
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    pk = cast(Field, meta.pk)
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    targets = ", ".join(column(name) for name in on)
    insert = (
        f"INSERT INTO {table} ({columns}) VALUES ({values}) "  # noqa: S608
        f"ON CONFLICT ({targets}) DO NOTHING RETURNING {quote(pk.column)}"
    )
    kept = [pk, *(field for field in fields if field.name not in (*on, *update))]
    sets = ", ".join(f"{column(name)} = %s" for name in update)
    where = " AND ".join([*(f"{column(name)} = %s" for name in on), f"{column(unless_same)} <> %s"])
    returning = ", ".join(quote(field.column) for field in kept)
    update_sql = f"UPDATE {table} SET {sets} WHERE {where} RETURNING {returning}"  # noqa: S608
    return insert, update_sql, kept


class Upsert:
    """One row written where a unique constraint allows one: INSERTed, or, when
    the constraint on the fields `on` already holds a row, that row's fields
    `update` UPDATEd to this one's, unless its field `unless_same` holds this
    row's value already (the same submission again): then nothing is written.

    Made before a transaction begins, like `Insert`: the values are converted
    here, and the transaction spends SQLite's one write lock on the statements
    alone. The commonest case, a new row, is one INSERT ... ON CONFLICT DO
    NOTHING. A conflict takes an UPDATE more: one INSERT ... ON CONFLICT DO
    UPDATE could do both, but neither SQLite nor PostgreSQL (before 18) says
    which of the two it did, and callers need to know. Signals are not sent and
    `save()` is not called: only for models that rely on neither.

    The ORM's twin is `get_or_create` followed by `update` of the row found."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"

    def __init__(
        self,
        instance: Model,
        *,
        on: tuple[str, ...],
        update: tuple[str, ...],
        unless_same: str,
    ):
        model = type(instance)
        self.instance = instance
        self.alias = router.db_for_write(model, instance=instance)
        connection = connections[self.alias]
        self.insert, self.update, self.kept = _upsert_statements(
            model, self.alias, on, update, unless_same
        )
        meta = model._meta
        values = {
            field.name: field.get_db_prep_save(field.pre_save(instance, add=True), connection)
            for field in meta.concrete_fields
            if not field.primary_key
        }
        self.insert_values = list(values.values())
        self.update_values = [
            *(values[name] for name in update),
            *(values[name] for name in on),
            values[unless_same],
        ]

    def run(self) -> str:
        """Write the row: INSERTED, UPDATED or UNCHANGED. The instance gets the
        primary key of the row written and the values it kept (the fields
        neither `on` nor `update`: an UPDATE leaves them as they were)."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.insert, self.insert_values)
            row = cursor.fetchone()
            if row is not None:
                self.instance.pk = row[0]
                outcome = self.INSERTED
            else:
                cursor.execute(self.update, self.update_values)
                row = cursor.fetchone()
                if row is None:
                    return self.UNCHANGED
                table = type(self.instance)._meta.db_table
                for field, value in zip(self.kept, row, strict=True):
                    column = field.get_col(table)
                    for convert in [
                        *connection.ops.get_db_converters(column),
                        *column.get_db_converters(connection),
                    ]:
                        value = convert(value, column, connection)
                    setattr(self.instance, field.attname, value)
                outcome = self.UPDATED
        self.instance._state.adding = False
        self.instance._state.db = self.alias
        return outcome


class _UpsertOrm:
    """Upsert's twin: get_or_create, then an update of the row found unless it
    holds the same `unless_same` already."""

    INSERTED, UPDATED, UNCHANGED = Upsert.INSERTED, Upsert.UPDATED, Upsert.UNCHANGED

    def __init__(
        self, instance: Model, *, on: tuple[str, ...], update: tuple[str, ...], unless_same: str
    ):
        self.instance, self.on, self.update, self.unless_same = instance, on, update, unless_same

    def run(self) -> str:
        model = type(self.instance)
        manager = model._default_manager
        fields = model._meta.concrete_fields

        def values(names: Iterable[str]) -> dict[str, Any]:
            return {
                _field(model, n).attname: getattr(self.instance, _field(model, n).attname)
                for n in names
            }

        defaults = {
            f.attname: getattr(self.instance, f.attname) for f in fields if not f.primary_key
        }
        row, created = manager.select_for_update().get_or_create(
            **values(self.on), defaults=defaults
        )
        self.instance.pk = row.pk
        if created:
            return Upsert.INSERTED
        same = values([self.unless_same])
        if not manager.filter(pk=row.pk).exclude(**same).update(**values(self.update)):
            return Upsert.UNCHANGED
        return Upsert.UPDATED


def _insert_for_each_orm(
    model: type[Model],
    queryset: QuerySet,
    field: str,
    constants: dict[str, object],
    *,
    unless_conflict_on: tuple[str, ...] = (),
) -> int:
    fixed = {_field(model, name).attname: value for name, value in constants.items()}
    target = _field(model, field).attname
    rows = [model(**fixed, **{target: pk}) for pk in queryset.values_list("pk", flat=True)]
    before = model._default_manager.count()
    model._default_manager.bulk_create(rows, ignore_conflicts=bool(unless_conflict_on))
    return model._default_manager.count() - before


# -- the database as a whole: backups (core/backup.py) -------------------------
# These read the catalogue and the whole of each table, below the models: no
# ORM twin can stand for them.


def connection_of(alias: str) -> Any:
    """The connection to back up or restore into: its vendor, settings and cursors."""
    return connections[alias]


def _read(connection: Any, sql: str) -> list[tuple]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def table_names(connection: Any, vendor: str) -> list[str]:
    """The tables of a database, sorted. `connection`: Django's, sqlite3's on a
    copy, or the one of `exported_snapshot`."""
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return sorted(name for (name,) in _read(connection, sql))


def table_counts(connection: Any, vendor: str) -> dict[str, int]:
    """The rows of every table, by table name."""
    return {
        table: _read(connection, f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 (the catalogue's names)
        for table in table_names(connection, vendor)
    }


def applied_migrations(connection: Any) -> list[str]:
    """The migrations the database records as applied ("app.name"), in order."""
    rows = _read(connection, "SELECT app, name FROM django_migrations ORDER BY id")
    return [f"{app}.{name}" for app, name in rows]


@contextmanager
def exported_snapshot(connection: Any) -> Iterator[tuple[str, Any]]:
    """(snapshot id, connection) of a read-only transaction on a PostgreSQL
    connection of its own, outside any transaction Django's may be in, whose
    snapshot other sessions may share (`pg_dump --snapshot`) while it is open."""
    own = connection.get_new_connection(connection.get_connection_params())
    try:
        own.autocommit = True
        with own.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            yield snapshot, own
            cursor.execute("COMMIT")
    finally:
        own.close()


def leave_wal(sqlite_connection: Any) -> None:
    """Make a sqlite3 database one self-contained file again (no -wal beside
    it): a copy, or a database about to be overwritten page by page, which
    fails on a WAL database of another page size."""
    sqlite_connection.execute("PRAGMA journal_mode=DELETE")


# Each query's ORM twin, by the query's name. The writes' twins take the
# values as the model holds them where the query takes them converted.
ORM_TWINS: dict[str, Callable] = {
    "get_by_pk": _get_by_pk_orm,
    "exists": _exists_orm,
    "unexpired_session_data": _unexpired_session_data_orm,
    "open_incidents_covering_unit": _open_incidents_covering_unit_orm,
    "Insert": _InsertOrm,
    "Upsert": _UpsertOrm,
    "insert_many": _insert_many_orm,
    "insert_for_each": _insert_for_each_orm,
}
