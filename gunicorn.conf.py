"""gunicorn settings shared by the web and admin processes (the Procfile gives the rest)."""


def post_worker_init(worker):
    """Load models and indexes before this worker accepts its first request, then keep what
    start-up built out of the garbage collector's full passes."""
    warm_up = getattr(worker.wsgi, "extensions", {}).get("warm_up")
    if warm_up is not None:
        warm_up()
    from automation.runtime.heap import freeze_start_up

    freeze_start_up()
