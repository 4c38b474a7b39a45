from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lagesbild.api.api import api
from lagesbild.api.views import healthz, live
from lagesbild.web import explore, pages, views

handler404 = "lagesbild.web.pages.not_found"
handler500 = "lagesbild.web.pages.server_error"

admin.site.site_header = "Lägesbild – administration"
admin.site.site_title = "Lägesbild"
admin.site.index_title = "Konfiguration och data"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="live"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal_detail, name="goal"),
    path("mal/<int:number>/data.zip", explore.goal_download, name="goal-download"),
    path("indikator/<str:code>/", views.indicator_detail, name="indicator"),
    path("atgard/<str:code>/", views.measure_detail, name="measure"),
    path("utforska/", explore.explorer, name="explorer"),
    path("sok/", pages.search, name="search"),
    path("kommun/", pages.municipality_list, name="municipalities"),
    path("kommun/<str:code>/", pages.municipality_detail, name="municipality"),
    path("hjalp/", pages.help_page, name="help"),
    path("tillganglighet/", pages.accessibility, name="accessibility"),
    path(
        "indikator/<str:code>/data.<str:fmt>",
        explore.indicator_download,
        name="indicator-download",
    ),
    path("", include("lagesbild.reporting.urls")),
    path("rapport/", include("lagesbild.statusreport.urls")),
    path("stod/", include("lagesbild.directory.urls")),
    path("enkat/", include("lagesbild.surveys.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
