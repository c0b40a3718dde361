from django.test import SimpleTestCase, override_settings

from shouwang.notify.checks import check_notify_channels


class ChannelSettingsCheckTestCase(SimpleTestCase):
    def ids(self) -> list[str | None]:
        return [error.id for error in check_notify_channels(None)]

    def test_the_inbox_alone_needs_nothing(self):
        with override_settings(NOTIFY_CHANNELS=["inbox"]):
            self.assertEqual(self.ids(), [])

    def test_it_rejects_an_unknown_channel(self):
        with override_settings(NOTIFY_CHANNELS=["inbox", "wechat"]):
            self.assertEqual(self.ids(), ["shouwang.E010"])

    def test_it_rejects_a_channel_without_its_settings(self):
        with override_settings(
            NOTIFY_CHANNELS=["dingtalk"], DINGTALK_WEBHOOK_URL="https://x/", DINGTALK_SECRET=""
        ):
            [error] = check_notify_channels(None)
        self.assertEqual(error.id, "shouwang.E011")
        self.assertIn("DINGTALK_SECRET", error.msg)

    def test_it_names_what_a_personal_channel_lacks(self):
        with override_settings(
            NOTIFY_CHANNELS=["inbox", "wecom_app", "dingtalk_work"],
            WECOM_CORP_ID="ww0123",
            WECOM_AGENT_ID="",
            WECOM_SECRET="",
            DINGTALK_APP_KEY="ding0123",
            DINGTALK_APP_SECRET="secret",
            DINGTALK_AGENT_ID="1000002",
        ):
            errors = check_notify_channels(None)
        self.assertEqual(
            [error.msg for error in errors],
            ["The wecom_app channel needs WECOM_AGENT_ID, WECOM_SECRET."],
        )
