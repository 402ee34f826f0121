"""``python -m customer_master_cli``: the same as the ``customer-master`` command."""

from customer_master_cli import main

main()
