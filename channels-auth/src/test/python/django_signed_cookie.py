"""Django's signed_cookies session backend, driven from the Java interop test.

usage: django_signed_cookie.py mint|read SECRET_KEY   (JSON or the cookie value on stdin)

mint: stdin is a JSON object; prints the sessionid cookie value Django's SessionStore makes for it.
read: stdin is a sessionid cookie value; prints the session data Django loads from it as JSON
      ({} when Django rejects the cookie, as Django itself then starts an empty session).
"""
import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY=sys.argv[2],
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    INSTALLED_APPS=["django.contrib.sessions"],
    USE_TZ=True,
)
django.setup()

from django.contrib.sessions.backends.signed_cookies import SessionStore  # noqa: E402

mode = sys.argv[1]
text = sys.stdin.read()
if mode == "mint":
    session = SessionStore()
    for key, value in json.loads(text).items():
        session[key] = value
    session.save()
    print(session.session_key)
elif mode == "read":
    session = SessionStore(session_key=text.strip())
    print(json.dumps(session.load(), sort_keys=True))
else:
    sys.exit("unknown mode " + mode)
