"""gunicorn settings read by every `gunicorn` started from the project folder (web, make run)."""

from app.limits import MAX_HEADER_BYTES, MAX_HEADERS, MAX_REQUEST_LINE_BYTES

logger_class = "app.logs.RedactingLogger"  # no token, address or phone number in any log line

# What gunicorn reads before the application sees a request (app/limits.py says why these;
# the API document and README state them). Beyond them gunicorn answers a plain 400.
limit_request_line = MAX_REQUEST_LINE_BYTES
limit_request_fields = MAX_HEADERS
limit_request_field_size = MAX_HEADER_BYTES
