"""The call-takers' browser console (``/console``): see ``callcenter.blueprint`` and
docs/console.md. The package itself imports no Flask: ``presence`` is read by the IVR."""
