from . import urls_employers, urls_fairs, urls_outcomes

app_name = "careers"

urlpatterns: list = [
    *urls_outcomes.urlpatterns,
    *urls_employers.urlpatterns,
    *urls_fairs.urlpatterns,
]
