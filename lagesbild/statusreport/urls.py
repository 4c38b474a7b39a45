from django.urls import path

from lagesbild.statusreport import edition_views, review, views

app_name = "statusreport"

urlpatterns = [
    # readers: the latest published edition, and every edition by number
    path("", edition_views.report_index, name="index"),
    path("<int:year>/", edition_views.report_detail, name="detail"),
    path(
        "<int:year>/lagesrapport-<int:year2>.<str:ext>",
        edition_views.report_download,
        name="download",
    ),
    path("<int:year>/utgava/<int:number>/", edition_views.edition_detail, name="edition"),
    path(
        "<int:year>/utgava/<int:number>/lagesrapport-<int:year2>.<str:ext>",
        edition_views.edition_download,
        name="edition_download",
    ),
    # the coordinator: draft builds (in the background) and publishing
    path("<int:year>/utkast/", edition_views.draft, name="draft"),
    path("<int:year>/utkast/bygg/", edition_views.draft_build, name="draft_build"),
    path("<int:year>/bygge/<int:pk>/", edition_views.build_status, name="build_status"),
    path(
        "<int:year>/bygge/<int:pk>/lagesrapport-<int:year2>.<str:ext>",
        edition_views.build_download,
        name="build_download",
    ),
    path("<int:year>/publicera/", edition_views.publish, name="publish"),
    # the coordinator: texts and decisions on drafted paragraphs
    path("<int:year>/redigera/", views.edit_index, name="edit_index"),
    path("<int:year>/redigera/stycke/", views.edit_paragraph, name="edit_paragraph"),
    path("<int:year>/redigera/text/<str:kind>/<int:goal>/", views.edit_text, name="edit_text"),
    path("<int:year>/granska/mal-<int:goal>/", review.review_goal, name="review_goal"),
    path("<int:year>/granska/mal-<int:goal>/stycke/", review.review_item, name="review_item"),
    path(
        "<int:year>/granska/mal-<int:goal>/avsnitt/",
        review.review_accept_section,
        name="review_accept_section",
    ),
]
