"""gunicorn settings read by every `gunicorn` started from the project folder (web, make run)."""

logger_class = (
    "app.logs.RedactingLogger"  # manage and calendar-feed tokens never reach the access log
)
