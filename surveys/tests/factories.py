import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from surveys.models import Period, Response, Service, SurveyRound, Unit, UnitRole


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "rahasia-uji-123")
        if create:
            obj.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit Layanan {n}")
    city = "Salatiga"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Layanan {n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = "2024-S2"
    kind = Period.Kind.SEMESTER
    start_date = datetime.date(2024, 7, 1)
    end_date = datetime.date(2024, 12, 31)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    unit = factory.SubFactory(UnitFactory)
    period = factory.SubFactory(PeriodFactory)
    channel = Response.Channel.WEB
    submitted_at = factory.LazyFunction(timezone.now)
    u1 = 3
    u2 = 3
    u3 = 3
    u4 = 3
    u5 = 3
    u6 = 3
    u7 = 3
    u8 = 3
    u9 = 3


class UnitRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitRole

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = UnitRole.Role.STAFF


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    """A round in any status, written directly (tests of the steps use the services)."""

    class Meta:
        model = SurveyRound
        django_get_or_create = ("unit", "period")

    unit = factory.SubFactory(UnitFactory)
    period = factory.SubFactory(PeriodFactory)
    status = SurveyRound.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)
