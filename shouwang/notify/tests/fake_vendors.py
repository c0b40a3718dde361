"""Local stand-ins for WeCom's and DingTalk's APIs as the personal channels use
them: the access token they issue for the app's credentials, its expiry (after
so many uses, or at once when a test says so), the users they know, their
frequency limits, and each vendor's error codes."""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any, ClassVar

from .fake_server import Answer, FakeServer, Request


class FakePlatform:
    token_path: ClassVar[str]
    send_path: ClassVar[str]
    # (errcode, errmsg) of each refusal, as the vendor writes it.
    wrong_secret: ClassVar[tuple[int, str]]
    unknown_token: ClassVar[tuple[int, str]]
    expired_token: ClassVar[tuple[int, str]]
    rate_limited: ClassVar[tuple[int, str]]

    def __init__(
        self,
        *,
        app_id: str,
        secret: str,
        agent_id: int,
        users: set[str],
        uses_per_token: int | None = None,
    ):
        self.app_id, self.secret, self.agent_id = app_id, secret, agent_id
        self.users = users
        self.uses_per_token = uses_per_token
        # token -> requests it may still serve (None: until expired on demand)
        self.live: dict[str, int | None] = {}
        self.issued: list[str] = []
        self.accepted: list[Request] = []
        self.refused: list[Request] = []
        # Repeats the vendor took as sent and did not deliver (WeCom's duplicate
        # check; the fake keeps no clock: a test's repeats fall within the interval).
        self.duplicates: list[Request] = []
        # The next this-many sends are refused for the frequency limit.
        self.limit_next = 0
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.server = FakeServer(self.answer)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def __enter__(self) -> FakePlatform:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.__exit__(*exc)

    def expire_tokens(self) -> None:
        """Every token issued so far stops working, as after a secret reset."""
        with self.lock:
            self.live.clear()

    def error(self, code: tuple[int, str]) -> Answer:
        return 200, {"errcode": code[0], "errmsg": code[1]}

    def answer(self, request: Request) -> Answer:
        with self.lock:
            if request.path == self.token_path:
                return self.issue(request)
            if request.path == self.send_path:
                return self.send(request)
        return 404, {}

    def issue(self, request: Request) -> Answer:
        if request.method != "GET" or not self.credentials_match(request.query):
            return self.error(self.wrong_secret)
        token = f"TOKEN-{len(self.issued) + 1}"
        self.issued.append(token)
        self.live[token] = self.uses_per_token
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def send(self, request: Request) -> Answer:
        token = request.query.get("access_token", "")
        if token not in self.live:
            self.refused.append(request)
            return self.error(self.expired_token if token in self.issued else self.unknown_token)
        uses = self.live[token]
        if uses is not None:
            if uses <= 1:
                del self.live[token]  # this request is its last
            else:
                self.live[token] = uses - 1
        if self.limit_next:
            self.limit_next -= 1
            self.refused.append(request)
            return self.error(self.rate_limited)
        return self.deliver(request)

    def credentials_match(self, query: dict[str, str]) -> bool:
        raise NotImplementedError

    def deliver(self, request: Request) -> Answer:
        raise NotImplementedError


class FakeWeCom(FakePlatform):
    """企业微信: /cgi-bin/gettoken and /cgi-bin/message/send."""

    token_path = "/cgi-bin/gettoken"
    send_path = "/cgi-bin/message/send"
    wrong_secret = (40001, "invalid credential")
    unknown_token = (40014, "invalid access_token")
    expired_token = (42001, "access_token expired")
    rate_limited = (45009, "api freq out of limit")

    def credentials_match(self, query: dict[str, str]) -> bool:
        return query.get("corpid") == self.app_id and query.get("corpsecret") == self.secret

    def deliver(self, request: Request) -> Answer:
        body = request.body
        if body.get("agentid") != self.agent_id:
            self.refused.append(request)
            return self.error((40056, "invalid agentid"))
        if body.get("enable_duplicate_check") == 1:
            seen = {json.dumps(r.body, sort_keys=True) for r in self.accepted}
            if json.dumps(body, sort_keys=True) in seen:
                self.duplicates.append(request)
                return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "m"}
        wanted = body["touser"].split("|")
        unknown = [user for user in wanted if user not in self.users]
        if len(unknown) == len(wanted):
            self.refused.append(request)
            return self.error((81013, "user & party & tag all invalid"))
        self.accepted.append(request)
        # Known users get it; the unknown are named, under errcode 0.
        return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(unknown), "msgid": "m"}

    def received_by(self) -> list[str]:
        return [user for r in self.accepted for user in r.body["touser"].split("|")]


class FakeDingTalk(FakePlatform):
    """钉钉: /gettoken and the work notification's asyncsend_v2."""

    token_path = "/gettoken"
    send_path = "/topapi/message/corpconversation/asyncsend_v2"
    wrong_secret = (40089, "不合法的corpid或corpsecret")
    unknown_token = (40014, "不合法的access_token")
    # DingTalk's newer gateway answers an expired token with 88.
    expired_token = (88, "不合法的access_token")
    rate_limited = (90018, "当前企业所有应用调用该接口次数超过限制")

    def credentials_match(self, query: dict[str, str]) -> bool:
        return query.get("appkey") == self.app_id and query.get("appsecret") == self.secret

    def deliver(self, request: Request) -> Answer:
        body = request.body
        if body.get("agent_id") != self.agent_id:
            self.refused.append(request)
            return self.error((40056, "不合法的agentid"))
        if any(user not in self.users for user in body["userid_list"].split(",")):
            self.refused.append(request)
            return self.error((33012, "无效的USERID"))
        self.accepted.append(request)
        return 200, {"errcode": 0, "errmsg": "ok", "task_id": next(self.counter)}

    def received_by(self) -> list[str]:
        return [user for r in self.accepted for user in r.body["userid_list"].split(",")]
