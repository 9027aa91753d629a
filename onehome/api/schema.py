"""What the OpenAPI schema needs from a viewset that reads through selectors.

drf-spectacular types a viewset's path parameters (``{id}``) from its model, which it finds
in ``queryset`` or by calling ``get_queryset()`` on a view it builds without a signed-in
user (``swagger_fake_view``). Selectors need that user, so such views answer this instead:
an empty queryset of the model that is never sent to the database. Kept here so that view
modules hold no ORM access of their own (`onehome/core/tests/test_thin_views.py`)."""

from django.db.models import Model, QuerySet


def model_for_schema(model: type[Model]) -> QuerySet:
    """An empty queryset of ``model``, for the schema generator only."""
    return model._default_manager.none()
