from . import urls_counts, urls_pass, urls_requests

app_name = "leave"

urlpatterns: list = [
    *urls_requests.urlpatterns,
    *urls_pass.urlpatterns,
    *urls_counts.urlpatterns,
]
