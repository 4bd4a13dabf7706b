"""gunicorn settings shared by the web and admin processes (the Procfile gives the rest)."""


def post_worker_init(worker):
    """Load models and indexes before this worker accepts its first request."""
    warm_up = getattr(worker.wsgi, "extensions", {}).get("warm_up")
    if warm_up is not None:
        warm_up()
