"""The spec layer: the validated document read once into typed, frozen views that keep their JSON pointer.

Every `$ref` to a parameter, request body or response is resolved here; a view's `pointer` is where its node sits
after resolution (a shared component's own pointer), so a finding about it is located there. Schemas stay as the
document gives them, as `SchemaView`s (spec/schema.py): a `$ref` stays a reference (the model's type builder names
components by their references) and `target` follows it.
"""

from generator.spec.read import read_spec
from generator.spec.views import BodyView, MediaView, OperationView, ParameterView, ResponseView, SpecView, TagView

__all__ = ["BodyView", "MediaView", "OperationView", "ParameterView", "ResponseView", "SpecView", "TagView", "read_spec"]
