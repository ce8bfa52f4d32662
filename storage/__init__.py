"""Storage: the routine's ports implemented with SQLAlchemy (async), plus the schema's migrations.

- `storage.db`: engines and session factories from a database URL.
- `storage.uow`: the unit of work the services use (`SqlAlchemyUnitOfWorkFactory`).
- `storage.schema`: Alembic migrations, run from code (`upgrade`, `ensure_current`).

Nothing here connects or constructs at import time; the composition root does that.
"""
