"""Log in to Shouwang as a browser does and print the session and CSRF cookies'
values, for a client of the API:

    python scripts/api_login.py BASE_URL NUMBER PASSWORD
    python scripts/api_login.py --wait BASE_URL   # until the server answers (120 s)
"""

import sys
import time
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen


def wait(base: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # A worker's first page loads Django's apps: it may take a while.
            urlopen(f"{base}/accounts/login/", timeout=60).read()  # noqa: S310 (see main)
            return
        except OSError:  # refused while gunicorn starts, or timed out
            time.sleep(1)
    sys.exit(f"{base} did not answer in {seconds} s")


def login(base: str, username: str, password: str) -> tuple[str, str]:
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    url = f"{base}/accounts/login/"
    opener.open(url, timeout=30).read()  # hands out the CSRF cookie
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    posted = Request(url, data=urlencode(form).encode())  # noqa: S310 (see main)
    opener.open(posted, timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    # Logged in, or every answer of the API would be a 401, which its schema allows.
    me = opener.open(f"{base}/api/checkins/me", timeout=30)
    if "sessionid" not in cookies or me.status != 200:
        sys.exit(f"could not log in as {username}")
    return cookies["sessionid"], cookies["csrftoken"]


if __name__ == "__main__":
    waiting = sys.argv[1] == "--wait"
    base = sys.argv[2] if waiting else sys.argv[1]
    if not base.startswith(("http://", "https://")):
        sys.exit(f"not a web address: {base}")
    if waiting:
        wait(base)
    else:
        print(*login(base, *sys.argv[2:4]))
