"""Benchmark: the public bulletin's pages, served from the cache and afresh.

    .venv/bin/python bench/bulletin_pages.py [--articles 3000] [--requests 2000] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with four sections and
--articles published articles of a few paragraphs each, plus a draft, in
production mode (DEBUG off) with the local-memory cache. It then drives
Django's WSGI handler in this process, with no server and no network, as an
anonymous visitor:

- an article page from the cache (the edition read, the 阅读数 UPDATE and
  its read: three queries) and rendered afresh (its cache entry gone);
- a section's first page from the cache and afresh;
- the home page from the cache.

For each it prints requests per second (one process, one thread) and the
median time per request. --smoke runs a small site and checks that each
article view was counted once, that the draft is not found and that a
publication shows at once: CI runs it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import loadavg, machine, setup_django

BODY = "\n\n".join(
    "学院党委紧跟学校党委指令，压实党委主体责任，及时启动应急预案。" * 4 for _ in range(8)
)


def build_site(articles: int) -> tuple[int, int]:
    """Sections and published articles; returns (a published article's pk, a draft's pk)."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from shouwang.bulletin.models import Article, Edition, Section

    call_command("migrate", verbosity=0)
    names = [("news", "学院新闻"), ("notices", "通知公告"), ("party", "党建动态")]
    names.append(("downloads", "下载专区"))
    sections = [
        Section.objects.create(name=name, slug=slug, position=i)
        for i, (slug, name) in enumerate(names)
    ]
    now = timezone.now()
    Article.objects.bulk_create(
        (
            Article(
                section=sections[i % len(sections)],
                title=f"学院新闻第{i}篇：疫情防控与线上教学工作稳步推进",
                body=BODY,
                status=Article.Status.PUBLISHED,
                published_at=now - dt.timedelta(minutes=i + 1),
            )
            for i in range(articles)
        ),
        batch_size=1000,
    )
    draft = Article.objects.create(section=sections[0], title="未发布的草稿", body=BODY)
    Edition.bump()
    newest = Article.objects.public().newest_first().values_list("pk", flat=True).first()
    assert newest is not None  # noqa: S101 - the benchmark made it
    return newest, draft.pk


def environ(path: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) MicroMessenger",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def measure(
    name: str, path: str, requests: int, before: Callable[[], None] | None = None
) -> tuple[str, float, float]:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    statuses: list[str] = []

    def start_response(status: str, headers: list) -> None:
        statuses.append(status)

    times = []
    started = time.perf_counter()
    for _ in range(requests):
        if before:
            before()
        t0 = time.perf_counter()
        response = handler(environ(path), start_response)
        b"".join(response)
        response.close()
        times.append(time.perf_counter() - t0)
    wall = time.perf_counter() - started
    bad = [s for s in statuses if not s.startswith("200")]
    if bad:
        raise SystemExit(f"{name}: {len(bad)} requests failed, e.g. {bad[0]}")
    # Requests per second of the requests alone (the cache clearing excluded).
    return name, requests / sum(times), statistics.median(times) * 1000 if wall else 0.0


def status_of(path: str) -> int:
    from django.test import Client

    return Client().get(path).status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="a small site; checked")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.requests = 60, 50

    with tempfile.TemporaryDirectory(prefix="shouwang-bench-") as tmp:
        setup_django(Path(tmp))
        from django.core.cache import cache

        from shouwang.bulletin.models import Article

        article, draft = build_site(args.articles)
        article_path = f"/bulletin/a/{article}/"
        section_path = "/bulletin/s/news/"
        fresh = max(1, args.requests // 4)
        rows = [
            measure("article, cached", article_path, args.requests),
            measure("article, rendered afresh", article_path, fresh, before=cache.clear),
            measure("section page 1, cached", section_path, args.requests),
            measure("section page 1, rendered afresh", section_path, fresh, before=cache.clear),
            measure("home, cached", "/bulletin/", args.requests),
        ]
        print(f"{args.articles} published articles; {machine()}; load {loadavg()}")
        print(f"{'page':34} {'requests/s':>10} {'median ms':>10}")
        for name, rate, median in rows:
            print(f"{name:34} {rate:10.0f} {median:10.2f}")

        views = Article.objects.get(pk=article).views
        expected = args.requests + fresh
        if views != expected:
            raise SystemExit(f"the article was viewed {expected} times but counts {views}")
        if args.smoke:
            from shouwang.bulletin import actions

            if status_of(f"/bulletin/a/{draft}/") != 404:
                raise SystemExit("the draft is visible")
            actions.publish_article(Article.objects.get(pk=draft), acting_user=None)
            if "未发布的草稿" not in page_text("/bulletin/s/news/"):
                raise SystemExit("a publication did not show at once")
            print("smoke: counts, the draft and the publication check out")


def page_text(path: str) -> str:
    from django.test import Client

    return Client().get(path).content.decode()


if __name__ == "__main__":
    main()
