"""A logging.Formatter that emits one JSON object per record."""
import json
import logging

__version__ = "0.4.0"

_SKIP = {"args", "msg", "exc_info", "exc_text", "stack_info", "created",
         "msecs", "relativeCreated", "levelno", "pathname", "filename"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        out = {"ts": self.formatTime(record), "level": record.levelname,
               "logger": record.name, "message": record.getMessage()}
        for k, v in record.__dict__.items():
            if k not in _SKIP and k not in out:
                try:
                    json.dumps(v)
                    out[k] = v
                except TypeError:
                    out[k] = repr(v)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, sort_keys=True)
