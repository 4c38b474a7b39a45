from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from lagesbild.reporting import views

account = [
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(
            template_name="reporting/account/login.html",
            redirect_authenticated_user=True,
            extra_context={"oidc_enabled": getattr(settings, "OIDC_ENABLED", False)},
        ),
        name="login",
    ),
    path(
        "konto/logga-ut/",
        auth_views.LogoutView.as_view(template_name="reporting/account/logged_out.html"),
        name="logout",
    ),
    path(
        "konto/losenord/",
        auth_views.PasswordResetView.as_view(
            template_name="reporting/account/password_reset_form.html",
            success_url=reverse_lazy("password_reset_done"),
            email_template_name="reporting/account/password_reset_email.txt",
            subject_template_name="reporting/account/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="reporting/account/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="reporting/account/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="reporting/account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    *account,
    path("rapportering/", views.index, name="reporting-index"),
    path("rapportering/ny-omgang/", views.round_open, name="reporting-round-open"),
    path("rapportering/<int:year>/", views.round_detail, name="reporting-round"),
    path("rapportering/<int:year>/mall.xlsx", views.workbook, name="reporting-workbook"),
    path("rapportering/<int:year>/ladda-upp/", views.upload, name="reporting-upload"),
    path("rapportering/<int:year>/oversikt/", views.overview, name="reporting-overview"),
    path("rapportering/<int:year>/stang/", views.round_close, name="reporting-round-close"),
    path("rapportering/<int:year>/skicka-in-alla/", views.submit_all, name="reporting-submit-all"),
    path(
        "rapportering/<int:year>/godkann-flera/", views.approve_many, name="reporting-approve-many"
    ),
    path(
        "rapportering/<int:year>/paminnelse/",
        views.reminders_schedule,
        name="reporting-reminders-schedule",
    ),
    path("rapportering/<int:year>/<int:pk>/godkann/", views.approve, name="reporting-approve"),
    path("rapportering/installningar/", views.notification_settings, name="reporting-settings"),
    path("rapportering/personer/", views.people_list, name="reporting-people"),
    path("rapportering/personer/bjud-in/", views.person_invite, name="reporting-person-invite"),
    path("rapportering/personer/<int:pk>/", views.person_detail, name="reporting-person"),
    path("rapportering/<int:year>/<int:pk>/", views.submission_detail, name="reporting-submission"),
    path(
        "rapportering/<int:year>/<int:pk>/overgang/<slug:action>/",
        views.transition,
        name="reporting-transition",
    ),
    path(
        "rapportering/<int:year>/<int:pk>/stodregister.csv",
        views.directory_export,
        {"fmt": "csv"},
        name="reporting-directory-csv",
    ),
    path(
        "rapportering/<int:year>/<int:pk>/stodregister.xlsx",
        views.directory_export,
        {"fmt": "xlsx"},
        name="reporting-directory-xlsx",
    ),
    path(
        "rapportering/<int:year>/<int:pk>/stodregister/ladda-upp/",
        views.directory_upload,
        name="reporting-directory-upload",
    ),
    path("rapportering/<int:year>/<int:pk>/kommentar/", views.comment, name="reporting-comment"),
    path("rapportering/<int:year>/<int:pk>/historik/", views.audit, name="reporting-audit"),
]

if getattr(settings, "OIDC_ENABLED", False):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
