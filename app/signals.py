"""Cross-channel reactions, as Flask and indico do them: a package below says what happened,
a package above (which it may not import) reacts. Senders pass the database session, so
receivers write in the sender's transaction.

- ``staff_signed_out(app, session=, staff_id=, now=)``: a staff member signed out (here and
  everywhere); sent by ``app.staff.sign_in``, heard by the console (``callcenter``), which
  takes a call-taker out of the blue number's queue.
- ``personal_data_expired(session, session=, cutoffs=, batch=)``: the daily purge
  (``app.retention``) asks each package above to anonymise one batch of its own tables past
  ``cutoffs``; a receiver returns its counts per kind (``{"calls": 12}``).
"""

from blinker import Namespace

_signals = Namespace()

staff_signed_out = _signals.signal("staff-signed-out")
personal_data_expired = _signals.signal("personal-data-expired")
