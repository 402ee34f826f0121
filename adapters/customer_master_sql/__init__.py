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

from customer_master_sql.schema import SchemaNotCurrent, check_schema, head_revision, migrate
from customer_master_sql.storage import SqlStorage, open_storage

__all__ = ["SchemaNotCurrent", "SqlStorage", "check_schema", "head_revision", "migrate", "open_storage"]
