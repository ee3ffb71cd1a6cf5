"""SMS and e-mail to citizens and staff: the outbox (``outbox``), its texts (``messages``), the
sender (``sender``, run by the worker) and the transports (``transports``). Channels queue
through ``app.commands``."""
