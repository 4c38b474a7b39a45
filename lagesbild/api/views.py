from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Readiness: 200 {"status": "ok"} when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


def live(request):
    """Liveness: 200 as long as the process serves requests; touches no database. Also the
    trivial view of the load test (bench/loadtest.py)."""
    return JsonResponse({"status": "ok"})
