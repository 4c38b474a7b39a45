from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.results_index, name="index"),
    path("svar/<str:token>/", views.respond, name="respond"),
    path("hantera/", views.manage, name="manage"),
    path("hantera/ny-omgang/", views.round_new, name="round_new"),
    path("hantera/omgang/<int:pk>/", views.round_detail, name="round"),
    path("hantera/omgang/<int:pk>/<str:action>/", views.round_action, name="round_action"),
    path("hantera/svar/<int:pk>/", views.response_detail, name="response"),
    path("resultat/<int:pk>/", views.results, name="results"),
    path("resultat/<int:pk>/kanslighet/", views.sensitivity, name="sensitivity"),
    path("resultat/<int:pk>/kommun/<str:code>/", views.drilldown, name="drilldown"),
]
