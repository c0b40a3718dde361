"""Shouwang settings: one module, configured by environment variables.

Every knob a deployment turns is an environment variable read here; nothing
inherits from anything. The defaults run the demo on one machine: SQLite, the
database task queue, local-memory cache.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from shouwang.lib.http import TIMEOUT, TimeoutSession

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
# The SQLite file, uploads and collected static files live here; SQLite cannot create the folder.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The public default is for development and tests only: production refuses to
# start with it (shouwang.E010, shouwang/core/startup.py).
DEVELOPMENT_SECRET_KEY = "django-insecure-shouwang-development-key-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "django_htmx",
    "django_filters",
    # Serves the API docs' Swagger UI from its own static files, not a CDN.
    "ninja",
    "csp",
    "axes",
    # CAS's session tickets, for the CAS server's single logout (campus sign-on below).
    "django_cas_ng",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "shouwang.core",
    "shouwang.accounts",
    "shouwang.people",
    "shouwang.incidents",
    "shouwang.checkins",
    "shouwang.screening",
    "shouwang.compliance",
    "shouwang.notify",
    "shouwang.volunteers",
    "shouwang.notices",
    "shouwang.bulletin",
    "shouwang.counselling",
    "shouwang.care",
    "shouwang.helpdesk",
    "shouwang.leave",
    "shouwang.teaching",
    "shouwang.workplan",
    "shouwang.supplies",
    "shouwang.careers",
    "shouwang.activities",
    "shouwang.api",
    "shouwang.reports",
    "shouwang.home",
    "shouwang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shouwang.accounts.sessions.session_limits",
    "shouwang.core.middleware.no_store_for_users",
    "shouwang.accounts.middleware.password_change_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shouwang.core.audit.AuditMiddleware",
    # Axes must come last: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shouwang.urls"
WSGI_APPLICATION = "shouwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # Django 6 has {% partialdef %} built in; the backport joins the builtins to match.
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "shouwang.core.context_processors.site",
                "shouwang.notify.context_processors.inbox",
            ],
        },
    }
]

# Databases. SQLite is the embedded default. WAL lets readers go on while one
# writer writes; synchronous=FULL makes a committed check-in survive a power cut;
# IMMEDIATE transactions take the write lock at BEGIN, so a writer waits for the
# busy timeout instead of failing with "database is locked" when a read lock
# would have to be upgraded mid-transaction during the morning wave. Each
# worker's connection drops its page cache whenever another worker has written,
# which in the morning wave is before nearly every request: with the file
# mapped into memory (mmap_size), rereading a page is a memory read instead of
# a system call. A checkpoint copies the pages the WAL holds into the database
# file: every 10,000 pages (40 MB) instead of SQLite's 1,000, a page that many
# check-ins wrote (an index's last leaf) is copied once instead of ten times
# (docs/performance.md has the figures).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA mmap_size=268435456; PRAGMA wal_autocheckpoint=10000;"
    ),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL compiles a query costlier than jit_above_cost to machine
        # code first: the compliance count of a 300,000-person college spent
        # about 70 ms of its 270 compiling, every time. Our queries are short.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "shouwang.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            # Each web worker keeps its connection: opening one per request
            # re-runs the PRAGMAs above, and closing the last one checkpoints
            # the WAL into the database file, both on the request's time.
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "600")),
            # A file, not :memory:, so that a worker process can see what a test
            # wrote; one per test run, so that two runs never share it.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, remembering the statements it rewrote (core/sqlite).
    DATABASES["default"]["ENGINE"] = "shouwang.core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when present, carries the cache, the sessions and (TASKS_BACKEND=rq) the task queue.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "shouwang.accounts.sessions"

# Background tasks, written against the django-tasks API. "database" keeps the
# queue in the same database (one machine, nothing else to run); "rq" puts it on
# Redis for many workers; "immediate" runs tasks inline (the test suite).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# An unknown name falls back here and fails the system check (shouwang.E001).
TASKS = {"default": TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKENDS["database"])}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shouwang.accounts.backends.PersonModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Django's hashers, then the cheap one for random initial passwords, never
# first: a password someone chooses is always hashed with the first
# (shouwang/accounts/hashers.py and docs/decisions.md say why).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "shouwang.accounts.hashers.InitialPasswordHasher",
]
# An initial password nobody has used stops working after this many days.
INITIAL_PASSWORD_DAYS = int(os.environ.get("INITIAL_PASSWORD_DAYS", "30"))
# The sheets and slips of issued passwords wait here, sealed, until their
# first download or for ISSUED_FILES_HOURS at most. Keep the folder out of
# backups (it holds a CACHEDIR.TAG, which tar, borg and restic skip with
# --exclude-caches); it is never under MEDIA_ROOT.
ISSUED_FILES_DIR = Path(os.environ.get("ISSUED_FILES_DIR", VAR_DIR / "issued-passwords"))
ISSUED_FILES_HOURS = 24
# The address people log in at, printed on password slips (e.g.
# https://shouwang.example.edu.cn); unset, the web uses the address it was reached at.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout on number and IP together: a whole dormitory shares one NAT
# address, so locking the IP alone would lock out hundreds of students.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Behind PROXY_COUNT reverse proxies the visitor's address is read from
# X-Forwarded-For (shouwang/lib/client.py); lockout and the mailboxes' limits
# count it. Axes' own ipware settings read only REMOTE_ADDR unless told which
# header to believe, and count proxies differently: it is given ours instead.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "shouwang.lib.client.client_address"

# Campus sign-on (统一身份认证): CAS and/or OpenID Connect, each on once its
# server is configured (shouwang/accounts/sso.py). The campus ID is the
# person's number, our username; an unknown ID is refused with a page saying
# whom to ask (SSO_CONTACT), never given an account. The app and its URLs are
# always there and answer 404 while unconfigured, so that one URL list and one
# set of tables serve every college; the backends are listed only when
# configured, so that turning a provider off also ends the sessions it opened.
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
if CAS_SERVER_URL and not CAS_SERVER_URL.endswith("/"):
    CAS_SERVER_URL += "/"  # python-cas joins "login" and "p3/serviceValidate" onto it
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
# The attribute carrying the number; the CAS user name itself when unset.
CAS_USERNAME_ATTRIBUTE = os.environ.get("CAS_ID_ATTRIBUTE") or "cas:user"
CAS_CREATE_USER = False
# A path, not a URL name: the single-logout answer redirects to it unresolved.
CAS_REDIRECT_URL = "/"
CAS_IGNORE_REFERER = True  # else a sign-on from the login page lands back on it
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_SESSION_FACTORY = TimeoutSession
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
# The claim of the provider's user info that carries the number.
OIDC_ID_CLAIM = os.environ.get("OIDC_ID_CLAIM", "sub")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# The ID token is the provider's logout hint; kept only when there is a logout to hint.
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_TIMEOUT = TIMEOUT  # the library waits forever by default, holding a web worker
SSO_CONTACT = os.environ.get("SSO_CONTACT", "")
if CAS_SERVER_URL:
    AUTHENTICATION_BACKENDS.append("shouwang.accounts.sso.CampusCASBackend")
if OIDC_OP_AUTHORIZATION_ENDPOINT:
    AUTHENTICATION_BACKENDS.append("shouwang.accounts.sso.CampusOIDCBackend")
# Axes counts password guesses; a sign-on has none (accounts/sso.py says more).
AXES_WHITELIST_CALLABLE = "shouwang.accounts.sso.is_sign_on_attempt"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing one
# Vendored assets are served by the app itself (intranets have no CDN); with
# finders on, the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Roster spreadsheets are read in a task; the upload itself is bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ROSTER_MAX_UPLOAD_BYTES = int(os.environ.get("ROSTER_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Uploaded rosters hold everyone's phone number: the files go after this many
# days; the import's record (counts, row errors) stays.
ROSTER_FILE_DAYS = int(os.environ.get("ROSTER_FILE_DAYS", "30"))
# A spreadsheet import reads at most this many rows of a file, title rows
# counted; a longer file is refused with a clear error, to be split.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))

# The daily backup (shouwang/core/backup.py): off while BACKUP_DIR is unset;
# at BACKUP_TIME (Beijing, after the 02:30 retention purge) into a new folder of
# BACKUP_DIR, keeping the newest BACKUP_KEEP and none that holds check-in detail
# past its retention.
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))
BACKUP_TIME = os.environ.get("BACKUP_TIME", "03:00")
BACKUP_CRON = "{1} {0} * * *".format(*(int(part) for part in BACKUP_TIME.split(":")))

# How long a worker may go silent before it is taken for dead: a background
# job's lease (renewed with each progress report; then the job is resumed) and
# an outbox delivery's claim (longer than one send with its retries; then it is
# re-sent or marked unknown), in seconds.
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "300"))
DELIVERY_LEASE_SECONDS = int(os.environ.get("DELIVERY_LEASE_SECONDS", "600"))

# Whether a moved or cancelled lesson, and a make-up, wait for the teaching
# office's approval (教学办审批); "0" where teachers decide alone.
TEACHING_CHANGES_NEED_APPROVAL = os.environ.get("TEACHING_CHANGES_NEED_APPROVAL", "1") == "1"
# What one person may keep in attachments and photos, all apps together
# (shouwang/core/uploads.py); 0 turns the limit off.
UPLOAD_QUOTA_MB = int(os.environ.get("UPLOAD_QUOTA_MB", "50"))

# The public mailboxes' flood limits (shouwang/bulletin): letters from one
# client an hour, and from everyone a minute.
LETTERS_PER_CLIENT_PER_HOUR = int(os.environ.get("LETTERS_PER_CLIENT_PER_HOUR", "3"))
LETTERS_PER_MINUTE = int(os.environ.get("LETTERS_PER_MINUTE", "20"))
# How long a rendered public page of the bulletin stays in the cache at most;
# a change to what the public sees replaces it at once.
BULLETIN_CACHE_SECONDS = int(os.environ.get("BULLETIN_CACHE_SECONDS", "600"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# A student's own session lasts SESSION_COOKIE_AGE; a session that reaches
# other people's records (every other login) ends SESSION_STAFF_MAX_HOURS
# after login and after SESSION_STAFF_IDLE_MINUTES without a request
# (shouwang/accounts/sessions.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
SESSION_STAFF_MAX_HOURS = float(os.environ.get("SESSION_STAFF_MAX_HOURS", "12"))
SESSION_STAFF_IDLE_MINUTES = float(os.environ.get("SESSION_STAFF_IDLE_MINUTES", "30"))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A trial on plain HTTP inside a LAN, before the TLS proxy exists. LAN_HTTP=1
# turns off the https redirect, HSTS and secure-only cookies together: with
# SECURE_SSL_REDIRECT=0 alone the cookies stay secure-only, the browser never
# sends them back over http, and every login fails its CSRF check. Passwords
# then cross the LAN in clear: `check --deploy` says so (shouwang.W030), once,
# instead of Django's four warnings about the same settings.
LAN_HTTP = env_bool("LAN_HTTP", False)
if LAN_HTTP and not DEBUG:
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shouwang@localhost")

# Notification channels: the inbox always, then any of email, wecom, dingtalk,
# feishu, sms (to groups or phones), wecom_app, dingtalk_work (to each person's
# WeCom or DingTalk). Each is sent from the outbox with retries (shouwang/notify).
NOTIFY_CHANNELS = env_list("NOTIFY_CHANNELS", "inbox")
WECOM_WEBHOOK_URL = os.environ.get("WECOM_WEBHOOK_URL", "")
DINGTALK_WEBHOOK_URL = os.environ.get("DINGTALK_WEBHOOK_URL", "")
DINGTALK_SECRET = os.environ.get("DINGTALK_SECRET", "")
FEISHU_WEBHOOK_URL = os.environ.get("FEISHU_WEBHOOK_URL", "")
FEISHU_SECRET = os.environ.get("FEISHU_SECRET", "")
NOTIFY_ROBOT_PER_MINUTE = int(os.environ.get("NOTIFY_ROBOT_PER_MINUTE", "20"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_TEMPLATE_CODE = os.environ.get("SMS_TEMPLATE_CODE", "")
# 企业微信应用消息 and 钉钉工作通知: one message a request, to a person's user id.
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "")
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "")
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
WECOM_API_BASE = os.environ.get("WECOM_API_BASE", "https://qyapi.weixin.qq.com")
NOTIFY_WECOM_APP_PER_MINUTE = int(os.environ.get("NOTIFY_WECOM_APP_PER_MINUTE", "600"))
DINGTALK_APP_KEY = os.environ.get("DINGTALK_APP_KEY", "")
DINGTALK_APP_SECRET = os.environ.get("DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = os.environ.get("DINGTALK_AGENT_ID", "")
DINGTALK_API_BASE = os.environ.get("DINGTALK_API_BASE", "https://oapi.dingtalk.com")
NOTIFY_DINGTALK_WORK_PER_MINUTE = int(os.environ.get("NOTIFY_DINGTALK_WORK_PER_MINUTE", "600"))
# Notices that ask for acknowledgement remind those who have not, once, this
# long before their deadline.
NOTICE_REMIND_BEFORE = timedelta(hours=float(os.environ.get("NOTICE_REMIND_BEFORE_HOURS", "2")))
# Volunteers may withdraw from a shift until this long before it starts.
SHIFT_WITHDRAW_BEFORE = timedelta(hours=float(os.environ.get("SHIFT_WITHDRAW_BEFORE_HOURS", "2")))
# Someone on site more than this many days in a row is due a relief: the
# roster says so, and their team's leads and the leaders are told once a streak.
DUTY_MAX_CONSECUTIVE_DAYS = int(os.environ.get("DUTY_MAX_CONSECUTIVE_DAYS", "14"))

# Counselling referral notes are encrypted with these Fernet keys (urlsafe
# base64 of 32 bytes), kept outside the database. Comma-separated for
# rotation: the first encrypts, any of them decrypts. Without one, DEBUG and
# tests use the public development key (counselling/crypto.py) and production
# refuses to start (shouwang.E020). Make one with:
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
COUNSELLING_KEYS = env_list("COUNSELLING_KEY")

# A door label's QR code is refused once older than this (seconds): labels are
# printed for the day, and one left on a door last week must not confirm a meal.
CARE_QR_MAX_AGE = int(os.environ.get("CARE_QR_MAX_AGE", str(2 * 24 * 3600)))

# A leave pass's QR code is refused once older than this (seconds): the pass
# page renews it while open, so a screenshot sent to someone else soon stops
# opening the gate.
LEAVE_PASS_MAX_AGE = int(os.environ.get("LEAVE_PASS_MAX_AGE", "300"))

# Help requests: hours to a first response and to a resolution, per urgency
# ("urgent:2:24,high:8:72,normal:24:168"); a request past either alerts its
# handler, and one past it by as long again alerts the leaders. A resolution
# the requester neither confirms nor reopens closes itself after
# HELPDESK_CONFIRM_DAYS days.
HELPDESK_LIMITS = {
    urgency: (int(response), int(resolution))
    for urgency, response, resolution in (
        item.split(":")
        for item in env_list("HELPDESK_LIMITS", "urgent:2:24,high:8:72,normal:24:168")
    )
}
HELPDESK_CONFIRM_DAYS = int(os.environ.get("HELPDESK_CONFIRM_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Names shown in the UI; a deployment sets its own college.
SITE_NAME = os.environ.get("SITE_NAME") or _("Shouwang")
