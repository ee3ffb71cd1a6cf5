"""Police assistance for bailiffs: the domain both the bailiffs' portal (``app.bailiffs``),
the API and the zone's staff pages share — office users and API tokens, kinds of execution,
assistance details, and the commands that book, move and cancel assistance
(``commands.py``; the capacity rule itself is the engine's, ``scheduling.capacity``)."""
