"""In-memory storage for customer-master: real transactions, no persistence.

Use it for tests, examples and demos: ``CustomerMaster.from_url("memory://")``.
"""

from customer_master_memory.storage import MemoryStorage, open_storage

__all__ = ["MemoryStorage", "open_storage"]
