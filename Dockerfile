# One image for web, worker and beat; docker-compose.yml gives each its command.
# Only product code goes in: no sandbox/, devtools/ or tests/ (tests/core/test_dockerfile.py
# checks the COPY lines and that every production command in the README runs from them).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 app

COPY pyproject.toml README.md ./
COPY transfer ./transfer
COPY catalog_client ./catalog_client
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
# Production settings refuse to load without their secrets and Amazon endpoints; collectstatic
# needs none of them, so it gets throwaway values that never reach a running container.
RUN DEBUG=false SECRET_KEY=collectstatic-only TOKEN_ENCRYPTION_KEYS=collectstatic-only \
    AMAZON_MUSIC_API_URL=https://build.invalid LWA_AUTHORIZE_URL=https://build.invalid \
    LWA_TOKEN_URL=https://build.invalid LWA_PROFILE_URL=https://build.invalid \
    LWA_REVOKE_URL=https://build.invalid LWA_CLIENT_ID=build LWA_CLIENT_SECRET=build \
    AMAZON_MUSIC_API_KEY=build python manage.py collectstatic --noinput

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "transfer.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
