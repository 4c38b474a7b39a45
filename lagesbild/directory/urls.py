from django.urls import path

from lagesbild.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("verksamhet/<slug:key>/", views.service_detail, name="service"),
    path("hantera/", views.manage, name="manage"),
    path("hantera/ej-kontrollerade/", views.stale, name="stale"),
    path("hantera/ny/", views.service_edit, name="create"),
    path("hantera/import/", views.import_file, name="import"),
    path("hantera/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("hantera/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("hantera/<slug:key>/", views.service_edit, name="edit"),
    path("hantera/<slug:key>/kontrollerad/", views.verify, name="verify"),
    path("hantera/<slug:key>/godkann/", views.approve, name="approve"),
]
