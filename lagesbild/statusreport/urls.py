from django.urls import path

from lagesbild.statusreport import review, views

app_name = "statusreport"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>/lagesrapport-<int:year2>.<str:ext>", views.report_download, name="download"),
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
