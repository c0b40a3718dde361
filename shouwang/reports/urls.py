from . import urls_chronicle, urls_cockpit

app_name = "reports"

urlpatterns: list = [
    *urls_cockpit.urlpatterns,
    *urls_chronicle.urlpatterns,
]
