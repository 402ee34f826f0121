"""A file's rows that can be read more than once.

An import that updates duplicates reads its rows twice: first for their keys, to fold
the rows of one customer into one change (SPEC R-9.5), then to import them. A reader's
rows are an iterator, read once; ``FileRows`` opens the file again for each reading, so
a file of any size is never held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from customer_master.domain.importing import SourceRow


class FileRows:
    """The rows ``read()`` gives, read anew each time they are iterated."""

    def __init__(self, read: Callable[[], Iterator[SourceRow]]) -> None:
        self._read = read

    def __iter__(self) -> Iterator[SourceRow]:
        return self._read()
