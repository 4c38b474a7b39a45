"""Every existing indicator gets a membership in each action plan of its strategy, with the goal,
violence type, order, status and retirement it had. A strategy without a plan gets one covering
the strategy's period (key: the strategy's key + '-plan'), so no placement is lost."""

from django.db import migrations


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Membership = apps.get_model("indicators", "IndicatorMembership")
    ActionPlan = apps.get_model("strategy", "ActionPlan")
    Strategy = apps.get_model("strategy", "Strategy")
    plans_by_strategy = {}
    for strategy in Strategy.objects.all():
        plans = list(ActionPlan.objects.filter(strategy=strategy))
        if not plans and Indicator.objects.filter(strategy=strategy).exists():
            plans = [
                ActionPlan.objects.create(
                    key=f"{strategy.key}-plan"[:64],
                    title=strategy.title,
                    strategy=strategy,
                    period_start=strategy.period_start,
                    period_end=strategy.period_end,
                    owner_id=strategy.owner_id,
                )
            ]
        plans_by_strategy[strategy.pk] = plans
    rows = []
    for ind in Indicator.objects.all():
        for plan in plans_by_strategy.get(ind.strategy_id, []):
            rows.append(
                Membership(
                    plan=plan,
                    indicator=ind,
                    goal_id=ind.goal_id,
                    violence_type_id=ind.violence_type_id,
                    sort_order=ind.sort_order,
                    status=ind.status,
                    retired_reason=ind.retired_reason,
                    last_data_year=ind.last_data_year,
                )
            )
    Membership.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Membership = apps.get_model("indicators", "IndicatorMembership")
    for m in Membership.objects.order_by("-plan__period_start"):
        Indicator.objects.filter(pk=m.indicator_id).update(
            goal_id=m.goal_id,
            violence_type_id=m.violence_type_id,
            sort_order=m.sort_order,
            status=m.status,
            retired_reason=m.retired_reason,
            last_data_year=m.last_data_year,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_indicator_memberships"),
        ("strategy", "0002_plan_series_first_year"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
