import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from surveys.answers import SKM_CODE, item_codes, scores_unpack, scores_with
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
    # Every answer 3 unless a test names items: ResponseFactory(U1=4, U2=None).
    scores = factory.LazyFunction(lambda: {SKM_CODE: [3] * len(item_codes())})

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        answers = {code: kwargs.pop(code) for code in item_codes() if code in kwargs}
        if answers:
            scores = dict(kwargs.get("scores") or {SKM_CODE: [3] * len(item_codes())})
            kwargs["scores"] = scores_with(scores=scores, answers={**scores_unpack(scores=scores), **answers})
        return kwargs

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Rows made here bypass surveys.services: keep the tallies as a service would.
        from surveys.services_tallies import response_state, tally_apply

        response = super()._create(model_class, *args, **kwargs)
        if response.deleted_at is None:
            tally_apply(changes=[(*response_state(response), 1)])
        return response


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


def publish_round(unit, period, *, user=None, note: str = "", weight_mode=None):
    """Close the unit's round (opening it first if needed) and publish it
    through the services, as staff and a supervisor would."""
    from django.conf import settings

    from surveys.services_rounds import round_close, round_open, round_publish

    rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
    if rnd is None or rnd.status in (SurveyRound.Status.DRAFT, SurveyRound.Status.PUBLISHED):
        rnd = round_open(unit=unit, period=period, user=user)
    if rnd.status == SurveyRound.Status.OPEN:
        rnd = round_close(round=rnd, user=user)
    return round_publish(round=rnd, user=user, weight_mode=weight_mode or settings.SKM_WEIGHT_MODE, note=note)


class ExtraQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.ExtraQuestion"

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"T{n + 1}")
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Pertanyaan tambahan {n + 1}?")
    kind = "single"
    choices = factory.LazyAttribute(lambda q: ["Ya", "Tidak"] if q.kind in ("single", "multiple") else [])
    required = False
    active = True
