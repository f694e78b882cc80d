"""Reference side of OriginValidatorParityTest: asks the real Channels OriginValidator.

Reads a JSON list of [patterns, origin-or-null] cases on stdin and prints a list of booleans: would
Channels let the handshake through. An exception while checking (e.g. a port out of range) counts as
"not allowed": the connection fails instead of reaching the application.
"""
import json
import sys
from urllib.parse import urlparse

import django
from django.conf import settings

settings.configure()
django.setup()

from channels.security.websocket import OriginValidator  # noqa: E402


def allowed(patterns, origin):
    validator = OriginValidator(None, patterns)
    try:
        parsed = None if origin is None else urlparse(origin)
        return bool(validator.valid_origin(parsed))
    except ValueError:
        return False


cases = json.load(sys.stdin)
json.dump([allowed(p, o) for p, o in cases], sys.stdout)
