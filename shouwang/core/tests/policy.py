from shouwang.core.models import BackgroundJob
from shouwang.policy import Rule, expect

from .jobs import count


def make_objects(case) -> None:
    # The leader's job, finished: its page is theirs alone.
    case.background_job = BackgroundJob.objects.create(
        kind=count.module_path, started_by=case.leader, state=BackgroundJob.State.DONE
    )


RULES = [
    Rule("core:health", expect(200, anonymous=200)),
    Rule("core:job_detail", expect(404, leader=200), target="background_job"),
    Rule("accounts:login", expect(302, anonymous=200)),
    Rule("accounts:logout", expect(302), method="post"),
    Rule("accounts:password_change", expect(200)),
    Rule("set_language", expect(302, anonymous=302), method="post", data={"language": "en"}),
]
