"""Channels: the ways a message reaches a person. Each is a small class with
one `send` method taking a batch of `Message`s.

The in-app inbox is the first and the record of every message: it stores the
rows. The others (e-mail, group robots, SMS, and the WeCom and DingTalk apps
that message one person) are sent from the outbox
(`MessageDelivery`, see `actions.py`) after the messages are stored: their `send`
gets stored messages and raises `DeliveryError` when the far side refuses,
so that a channel that is down is retried without blocking anyone, or
`RecipientError` when it refuses only that message's recipient.

`NOTIFY_CHANNELS` chooses the channels of a deployment; each reads its own
settings when it is built.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import translation

from shouwang.people.models import Person

from .models import Message

HTTP_TIMEOUT = 10  # seconds; a hung gateway must not hold a worker for long


class DeliveryError(Exception):
    """The channel did not take the message; the outbox retries it later."""


class OutcomeUnknown(DeliveryError):
    """The far side had the whole request but its answer never came (a
    timeout): the message may have gone out. The outbox treats it as a send
    whose sender died: made again only where the far side drops a repeat
    (`Channel.resend_within`), otherwise unknown."""


class RecipientError(DeliveryError):
    """The far side refused this message's recipient (an unknown user id), not
    the channel: the outbox retries the message later and goes on with the others."""


class Channel:
    name: ClassVar[str]
    # Requests a minute the far side accepts; None for no limit.
    per_minute: int | None = None
    # How long after a send whose outcome is unknown (its sender died) the
    # same send may be made again because the far side drops a repeat of it;
    # None where it would deliver the repeat (docs/decisions.md, per channel).
    resend_within: ClassVar[dt.timedelta | None] = None

    def send(self, messages: Sequence[Message]) -> None:
        raise NotImplementedError

    def split(self, messages: Sequence[Message]) -> list[list[Message]]:
        """The messages grouped into one `send` each: one per message, unless
        the channel can carry several in one request."""
        return [[message] for message in messages]

    def reachable(self, person_ids: set[int]) -> set[int]:
        """The people this channel has an address for; the others get no delivery row."""
        return person_ids


class Inbox(Channel):
    name = "inbox"

    def send(self, messages: Sequence[Message]) -> None:
        # A key that is already stored is skipped by the database, not by a
        # check here: two workers sending the same batch store it once.
        Message.objects.bulk_create([m for m in messages if m.key], ignore_conflicts=True)
        # Without ignore_conflicts the rows come back with their ids, which the outbox needs.
        Message.objects.bulk_create([m for m in messages if not m.key])


class Email(Channel):
    """Django's e-mail backend (`EMAIL_BACKEND`). `Person` has no e-mail
    field; the address is that of the person's login, and people without one
    get no e-mail."""

    name = "email"

    def reachable(self, person_ids: set[int]) -> set[int]:
        return set(
            Person.objects.filter(pk__in=person_ids)
            .exclude(Q(user__email="") | Q(user__email__isnull=True))
            .values_list("pk", flat=True)
        )

    def send(self, messages: Sequence[Message]) -> None:
        for message in messages:
            address = getattr(getattr(message.recipient, "user", None), "email", "")
            if not address:
                raise DeliveryError("no e-mail address")
            EmailMessage(message.title, message.body or message.title, to=[address]).send()


def post_json(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    """POST `payload` as JSON; the decoded answer, or DeliveryError."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"not an HTTP URL: {url!r}")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            body = response.read()
    except TimeoutError as error:
        # Unwrapped, it comes from waiting for the answer: the request went
        # out (urllib wraps a timeout in connecting or sending in URLError).
        raise OutcomeUnknown(f"{url.split('?')[0]}: no answer within {HTTP_TIMEOUT} s") from error
    except (OSError, urllib.error.URLError) as error:  # HTTPError, refused, connect timeouts
        raise DeliveryError(f"{url.split('?')[0]}: {error}") from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise DeliveryError(f"not JSON: {body[:200]!r}") from error


def get_json(url: str) -> Any:
    """GET `url`; the decoded answer, or DeliveryError. Errors name the URL
    without its query, which may carry a secret or a token."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("not an HTTP URL")
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            body = response.read()
    except (OSError, urllib.error.URLError) as error:
        raise DeliveryError(f"{url.split('?')[0]}: {error}") from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise DeliveryError(f"not JSON: {body[:200]!r}") from error


def with_query(url: str, **params: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"


def digest(messages: Sequence[Message]) -> str:
    """One line per message, so that one request carries many reminders."""
    return "\n".join(f"{message.recipient.name}：{message.title}" for message in messages)


def mobiles(messages: Sequence[Message]) -> list[str]:
    return sorted({m.recipient.mobile for m in messages if m.recipient.mobile})


class Robot(Channel):
    """A group robot: posts a digest of many messages to one group chat.

    The robots answer HTTP 200 even when they refuse a message; the error
    code in the body is what says so.
    """

    # WeCom's text content is at most 2048 bytes; the others allow more, but
    # a group reads a short digest better than a wall.
    max_bytes: ClassVar[int] = 2000

    def __init__(self, url: str, secret: str = ""):
        self.url = url
        self.secret = secret
        # About 20 requests a minute per webhook (WeCom and DingTalk document 20).
        self.per_minute = settings.NOTIFY_ROBOT_PER_MINUTE

    def split(self, messages: Sequence[Message]) -> list[list[Message]]:
        """Digests that each fit in one request, in order, none empty."""
        digests: list[list[Message]] = [[]]
        for message in messages:
            if digests[-1] and len(digest([*digests[-1], message]).encode()) > self.max_bytes:
                digests.append([])
            digests[-1].append(message)
        return [d for d in digests if d]


class WeCom(Robot):
    """企业微信群机器人: the webhook URL carries the robot's key."""

    name = "wecom"

    def send(self, messages: Sequence[Message]) -> None:
        text = {"content": digest(messages), "mentioned_mobile_list": mobiles(messages)}
        answer = post_json(self.url, {"msgtype": "text", "text": text})
        if answer.get("errcode") != 0:
            raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def dingtalk_sign(secret: str, timestamp: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class DingTalk(Robot):
    """钉钉自定义机器人 with 加签: timestamp and signature in the query."""

    name = "dingtalk"

    def send(self, messages: Sequence[Message]) -> None:
        timestamp = str(int(time.time() * 1000))  # the real clock: DingTalk checks it
        url = with_query(self.url, timestamp=timestamp, sign=dingtalk_sign(self.secret, timestamp))
        payload = {
            "msgtype": "text",
            "text": {"content": digest(messages)},
            # Numbers in atMobiles are notified without being printed in the group.
            "at": {"atMobiles": mobiles(messages)},
        }
        answer = post_json(url, payload)
        if answer.get("errcode") != 0:
            raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def feishu_sign(secret: str, timestamp: str) -> str:
    # Feishu keys the HMAC with "timestamp\nsecret" and signs an empty message.
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class Feishu(Robot):
    """飞书自定义机器人 with 签名校验: timestamp and signature in the body.

    A custom bot can @-mention only by Feishu user id, which we do not have:
    the digest's names are the mention."""

    name = "feishu"

    def send(self, messages: Sequence[Message]) -> None:
        timestamp = str(int(time.time()))  # seconds; Feishu allows an hour of skew
        payload = {
            "timestamp": timestamp,
            "sign": feishu_sign(self.secret, timestamp),
            "msg_type": "text",
            "content": {"text": digest(messages)},
        }
        answer = post_json(self.url, payload)
        code = answer.get("code", answer.get("StatusCode"))
        if code != 0:
            raise DeliveryError(f"code {code}: {answer.get('msg', answer.get('StatusMessage'))}")


class Sms(Channel):
    """An SMS gateway in the form Chinese gateways require: an approved
    signature (签名), an approved template (模板) and its parameters, never
    free text. The gateway is a plain HTTP endpoint taking JSON, answering
    `{"Code": "OK"}` as Aliyun does; a relay for another vendor fits the same."""

    name = "sms"

    def __init__(self, url: str, sign_name: str, template_code: str, token: str = ""):
        self.url = url
        self.sign_name = sign_name
        self.template_code = template_code
        self.token = token

    def reachable(self, person_ids: set[int]) -> set[int]:
        return set(
            Person.objects.filter(pk__in=person_ids).exclude(mobile="").values_list("pk", flat=True)
        )

    def send(self, messages: Sequence[Message]) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        for message in messages:
            with translation.override(settings.LANGUAGE_CODE):
                kind = message.kind_label
            # The approved template reads like "${name}，您有一条新的${kind}，请登录查看。"
            payload = {
                "PhoneNumbers": message.recipient.mobile,
                "SignName": self.sign_name,
                "TemplateCode": self.template_code,
                "TemplateParam": {"name": message.recipient.name, "kind": kind},
            }
            answer = post_json(self.url, payload, headers)
            if answer.get("Code") != "OK":
                raise DeliveryError(f"{answer.get('Code')}: {answer.get('Message', '')}")


def clip(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, never inside a character."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode(errors="ignore") + "…"


def absolute_link(message: Message) -> str:
    """The message's page as an address a phone outside the site can open, or
    "" without `SITE_URL` (the channels' requests have no address to start from)."""
    return settings.SITE_URL + message.link if message.link and settings.SITE_URL else ""


class AppChannel(Channel):
    """A workplace platform's own app that messages one person by their user id
    on that platform (企业微信应用消息, 钉钉工作通知).

    Each request carries an access token that the app's credentials buy and
    that expires (two hours for both vendors): it is kept in Django's cache,
    shared by every worker, until shortly before it expires. The vendor may end
    a token earlier (a secret reset, a second app server fetching its own):
    a request refused for its token fetches a new one and is made once again.

    One message a request: each message's recipient is refused or taken on its
    own, so a wrong user id fails that message and no other.
    """

    # The person's user id on the platform.
    userid_field: ClassVar[str]
    # Error codes that mean the token is invalid or expired.
    token_errors: ClassVar[frozenset[int]]
    # Error codes of the vendor's frequency limits: the outbox retries later.
    rate_errors: ClassVar[frozenset[int]]
    # A token is renewed this long before the vendor says it expires.
    token_margin: ClassVar[int] = 300  # seconds

    def __init__(self, api_base: str, app_id: str, agent_id: str, secret: str, per_minute: int):
        self.api_base = api_base.rstrip("/")
        self.app_id = app_id
        self.agent_id = agent_id
        self.secret = secret
        self.per_minute = per_minute

    @property
    def cache_key(self) -> str:
        return f"notify:{self.name}:token:{self.app_id}:{self.agent_id}"

    @property
    def agent(self) -> int | str:
        # Both vendors document the agent id as a number.
        return int(self.agent_id) if self.agent_id.isdigit() else self.agent_id

    def reachable(self, person_ids: set[int]) -> set[int]:
        return set(
            Person.objects.filter(pk__in=person_ids)
            .exclude(**{self.userid_field: ""})
            .values_list("pk", flat=True)
        )

    def token_url(self) -> str:
        raise NotImplementedError

    def token(self) -> str:
        """The cached access token, or a new one."""
        token = cache.get(self.cache_key)
        if token:
            return token
        # The URL carries the secret: errors name the vendor's answer, never the URL's query.
        answer = get_json(self.token_url())
        token = answer.get("access_token") if answer.get("errcode") == 0 else None
        if not token:
            raise DeliveryError(
                f"{self.name} access token refused: errcode {answer.get('errcode')}: "
                f"{answer.get('errmsg', '')}"
            )
        lifetime = int(answer.get("expires_in") or 7200)
        cache.set(self.cache_key, token, timeout=max(lifetime - self.token_margin, 60))
        return token

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST with the access token; once more with a new token if the vendor
        refused this one."""
        answer = post_json(with_query(self.api_base + path, access_token=self.token()), payload)
        if answer.get("errcode") in self.token_errors:
            cache.delete(self.cache_key)
            answer = post_json(with_query(self.api_base + path, access_token=self.token()), payload)
        return answer

    def refused(self, answer: dict[str, Any]) -> DeliveryError:
        code = answer.get("errcode")
        what = "rate limit, " if code in self.rate_errors else ""
        return DeliveryError(f"{what}errcode {code}: {answer.get('errmsg', '')}")

    def send(self, messages: Sequence[Message]) -> None:
        for message in messages:
            userid = getattr(message.recipient, self.userid_field)
            if not userid:
                raise RecipientError(f"no {self.name} user id")
            self.send_one(message, userid)

    def send_one(self, message: Message, userid: str) -> None:
        raise NotImplementedError


class WeComApp(AppChannel):
    """企业微信应用消息: a text message, or a text card that opens the message's
    page when it has one and `SITE_URL` is set.

    Every request asks for WeCom's duplicate check: WeCom does not deliver a
    request whose JSON equals one it took within the interval, so a message
    whose sender died mid-request can be sent again, unchanged, and arrives
    once. (Two messages of the same text to the same person within the
    interval arrive once too: their inbox holds both.)"""

    name = "wecom_app"
    # WeCom's longest interval (4 hours); a lost send is re-sent only while an
    # hour of it is left, for the re-send's wait behind the rate limit.
    duplicate_check_interval = dt.timedelta(hours=4)
    resend_within = duplicate_check_interval - dt.timedelta(hours=1)
    userid_field = "wecom_userid"
    # 40014 invalid access_token, 42001 expired, 40001 invalid credential.
    token_errors = frozenset({40014, 42001, 40001})
    # 45009 API frequency, 45033 concurrent calls.
    rate_errors = frozenset({45009, 45033})
    # 81013: every recipient of the message is invalid.
    invalid_user = 81013

    def token_url(self) -> str:
        return with_query(
            f"{self.api_base}/cgi-bin/gettoken", corpid=self.app_id, corpsecret=self.secret
        )

    def send_one(self, message: Message, userid: str) -> None:
        payload: dict[str, Any] = {
            "touser": userid,
            "agentid": self.agent,
            # The same message makes the same JSON: nothing here may vary
            # between two sends of it (no time, no attempt number).
            "enable_duplicate_check": 1,
            "duplicate_check_interval": int(self.duplicate_check_interval.total_seconds()),
        }
        url = absolute_link(message)
        if url:
            payload["msgtype"] = "textcard"
            payload["textcard"] = {
                "title": clip(message.title, 128),
                "description": clip(message.body or message.title, 512),
                "url": url,
            }
        else:
            content = f"{message.title}\n{message.body}" if message.body else message.title
            payload["msgtype"] = "text"
            payload["text"] = {"content": clip(content, 2048)}
        answer = self.post("/cgi-bin/message/send", payload)
        code = answer.get("errcode")
        # WeCom takes a message whose recipients are partly unknown and names them.
        invalid = set(filter(None, str(answer.get("invaliduser") or "").split("|")))
        if code == self.invalid_user or (code == 0 and userid in invalid):
            raise RecipientError(f"WeCom does not know user id {userid!r}")
        if code != 0:
            raise self.refused(answer)


class DingTalkWork(AppChannel):
    """钉钉工作通知: a text message from the app's agent.

    DingTalk sends work notifications asynchronously: a user id it refuses at
    once fails the message; one it finds wrong later shows only in its own
    send results."""

    name = "dingtalk_work"
    userid_field = "dingtalk_userid"
    # 40014 invalid access_token, 42001 expired, 88 authentication failed.
    token_errors = frozenset({40014, 42001, 88})
    # 90018 and 90002: the app's or the corp's calls exceed DingTalk's limits.
    rate_errors = frozenset({90018, 90002})
    # 33012 invalid userid.
    invalid_user = 33012

    def token_url(self) -> str:
        return with_query(f"{self.api_base}/gettoken", appkey=self.app_id, appsecret=self.secret)

    def send_one(self, message: Message, userid: str) -> None:
        content = f"{message.title}\n{message.body}" if message.body else message.title
        url = absolute_link(message)
        if url:
            content = f"{content}\n{url}"
        payload = {
            "agent_id": self.agent,
            "userid_list": userid,
            "msg": {"msgtype": "text", "text": {"content": clip(content, 2048)}},
        }
        answer = self.post("/topapi/message/corpconversation/asyncsend_v2", payload)
        code = answer.get("errcode")
        if code == self.invalid_user:
            raise RecipientError(f"DingTalk does not know user id {userid!r}")
        if code != 0:
            raise self.refused(answer)


def build(name: str) -> Channel:
    """The channel called `name`, configured from settings."""
    if name == "inbox":
        return Inbox()
    if name == "email":
        return Email()
    if name == "wecom":
        return WeCom(settings.WECOM_WEBHOOK_URL)
    if name == "dingtalk":
        return DingTalk(settings.DINGTALK_WEBHOOK_URL, settings.DINGTALK_SECRET)
    if name == "feishu":
        return Feishu(settings.FEISHU_WEBHOOK_URL, settings.FEISHU_SECRET)
    if name == "sms":
        return Sms(
            settings.SMS_GATEWAY_URL,
            settings.SMS_SIGN_NAME,
            settings.SMS_TEMPLATE_CODE,
            settings.SMS_GATEWAY_TOKEN,
        )
    if name == "wecom_app":
        return WeComApp(
            settings.WECOM_API_BASE,
            settings.WECOM_CORP_ID,
            settings.WECOM_AGENT_ID,
            settings.WECOM_SECRET,
            settings.NOTIFY_WECOM_APP_PER_MINUTE,
        )
    if name == "dingtalk_work":
        return DingTalkWork(
            settings.DINGTALK_API_BASE,
            settings.DINGTALK_APP_KEY,
            settings.DINGTALK_AGENT_ID,
            settings.DINGTALK_APP_SECRET,
            settings.NOTIFY_DINGTALK_WORK_PER_MINUTE,
        )
    raise ValueError(f"unknown notification channel: {name!r}")


CLASSES: dict[str, type[Channel]] = {
    cls.name: cls for cls in (Inbox, Email, WeCom, DingTalk, Feishu, Sms, WeComApp, DingTalkWork)
}
CHANNEL_NAMES = tuple(CLASSES)


def outbox_channels() -> list[Channel]:
    """The configured channels other than the inbox: those sent from the outbox."""
    return [build(name) for name in settings.NOTIFY_CHANNELS if name != "inbox"]
