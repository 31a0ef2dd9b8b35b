"""Server logging: text lines for people, or one JSON object per line for log collectors.

Access lines (logger `mx_sandbox.access`) and the start-up line go to stdout; uvicorn's own messages
and errors go to stderr. The access log is off unless asked for (it is on in the container image).
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

ACCESS = logging.getLogger("mx_sandbox.access")
SERVER = logging.getLogger("mx_sandbox")
# The fields an access record carries, beside time, level and message.
ACCESS_FIELDS = ("tenant", "method", "path", "status", "latency_ms", "request_id", "client")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in ACCESS_FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure(log_format: str, level: str, access_log: bool) -> None:
    formatter = JsonFormatter() if log_format == "json" else TEXT
    errors = logging.StreamHandler(sys.stderr)
    errors.setFormatter(formatter)
    logging.basicConfig(level=level.upper(), handlers=[errors], force=True)
    out = logging.StreamHandler(sys.stdout)
    out.setFormatter(formatter)
    SERVER.handlers = [out]
    SERVER.propagate = False
    SERVER.setLevel(logging.INFO)
    ACCESS.setLevel(logging.INFO if access_log else logging.CRITICAL + 1)
