"""Alembic environment: always online, on the connection the store hands over.

Importing this file outside an Alembic run (for example while collecting doctests) does
nothing.
"""

from alembic import context

from kit.store.tables import metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


try:
    _running = context.config is not None  # only exists while Alembic runs this script
except AttributeError:
    _running = False
if _running:
    run_migrations()
