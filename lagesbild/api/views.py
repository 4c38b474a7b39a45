from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """200 {"status": "ok"} when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})
