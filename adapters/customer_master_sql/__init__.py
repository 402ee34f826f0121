"""SQL storage for customer-master: SQLite (the embedded default), PostgreSQL and
MariaDB/MySQL through SQLAlchemy 2 Core, with Alembic migrations shipped inside.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "cm.db")
>>> storage = open_storage(f"sqlite:///{path}?migrate=1")
>>> with storage.unit_of_work() as uow:
...     uow.configuration.get("acme").version
0
>>> storage.close()
"""

from customer_master.extras import require

# Without the extra, one line says what to install (before the imports that would fail).
require("sql", "sqlalchemy", "alembic", needed_by="the SQL storage")

from customer_master_sql.schema import SchemaNotCurrent, check_schema, head_revision, migrate  # noqa: E402
from customer_master_sql.storage import SqlStorage, open_storage  # noqa: E402

__all__ = ["SchemaNotCurrent", "SqlStorage", "check_schema", "head_revision", "migrate", "open_storage"]
