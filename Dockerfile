# Production image: gunicorn serves the app (static files through whitenoise); the same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for the Chinese PDFs, the libraries WeasyPrint loads (Pango, HarfBuzz, fontconfig) and
# gettext for the translation catalogs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        shared-mime-info \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Catalogs are committed compiled; compiling again keeps the image right if a .mo was forgotten.
# Static files are collected at build time with placeholder settings (nothing secret is baked in).
RUN python manage.py compilemessages --ignore ".venv" -v 0 \
    && DEBUG=0 SECRET_KEY=build-time-only-placeholder ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 10001 liaison \
    && mkdir -p /app/media /app/var \
    && chown -R liaison:liaison /app/media /app/var
USER liaison

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
