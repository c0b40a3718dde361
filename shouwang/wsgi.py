import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
application = get_wsgi_application()

from shouwang.core.startup import refuse_unsafe_production  # noqa: E402

# A WSGI server (gunicorn, `manage.py run`) loading the app refuses unsafe keys.
refuse_unsafe_production()
