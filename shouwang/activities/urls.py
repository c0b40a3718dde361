from . import urls_judging, urls_taking_part

app_name = "activities"

urlpatterns: list = [
    *urls_taking_part.urlpatterns,
    *urls_judging.urlpatterns,
]
