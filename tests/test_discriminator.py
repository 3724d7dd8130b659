"""Discriminated unions dispatch on the discriminator: the client and the server parse a payload into the member
its property names (explicit mapping, a bare schema name, the implicit mapping), sync and async, in process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.api.types import Discriminator, Named, UnionOf
from generator.python.annotation import render
from generator.pipeline import generate_files
from generator.write import write_tree

SPEC = Path(__file__).resolve().parent / "golden" / "discriminator" / "spec.yaml"

CALLS = """
import asyncio
import httpx
import pydantic
from fastapi.testclient import TestClient
from pets_client import AsyncPetsClient, PetsClient
from pets_client import models as client_models
from pets_server.app import create_app
from pets_server.interface import PetsApi

received = []


class Pets(PetsApi):
    async def create_pet(self, request, ctx):  # the server hands the implementation the member the property names
        received.append(type(request.body).__name__)
        return request.body

pets = pydantic.TypeAdapter(client_models.Pet)
# Cat and Dog have the same required fields: only pet_type tells them apart.
for payload, member in (
    ({"pet_type": "cat", "name": "a"}, "Cat"),
    ({"pet_type": "kitten", "name": "a"}, "Cat"),
    ({"pet_type": "Dog", "name": "b"}, "Dog"),
    ({"pet_type": "lizard"}, "Lizard"),
):
    assert type(pets.validate_python(payload)).__name__ == member, payload
try:
    pets.validate_python({"pet_type": "horse", "name": "x"})
except pydantic.ValidationError:
    pass
else:
    raise SystemExit("an unmapped pet_type was accepted")
resident = client_models.Shelter.model_validate({"resident": {"pet_type": "Dog", "name": "d"}}).resident
assert type(resident).__name__ == "Dog"

app = create_app(pets=Pets(), keys={"k": ["*"]})
with PetsClient(api_key="k", host="http://test", http_client=TestClient(app, base_url="http://test")) as client:
    created = client.pets.create_pet(body=client_models.Dog(pet_type="Dog", name="Rex"))
    assert type(created).__name__ == "Dog" and created.name == "Rex", created


async def main() -> None:
    transport = httpx.ASGITransport(app=app)
    async with AsyncPetsClient(api_key="k", host="http://test", transport=transport) as client:
        created = await client.pets.create_pet(body=client_models.Cat(pet_type="kitten", name="Tom"))
        assert type(created).__name__ == "Cat" and created.name == "Tom", created
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers={"Authorization": "Bearer k"}) as http:
        refused = await http.post("/pets", json={"pet_type": "horse", "name": "x"})
        assert 400 <= refused.status_code < 500, refused.text
        accepted = await http.post("/pets", json={"pet_type": "lizard"})
        assert accepted.status_code == 201 and accepted.json() == {"pet_type": "lizard"}, accepted.text
    assert received == ["Dog", "Cat", "Lizard"], received


asyncio.run(main())
print("ok")
"""


def test_client_and_server_dispatch_on_the_discriminator(tmp_path: Path) -> None:
    _api, files, warnings = generate_files(str(SPEC))
    # The in-memory fake cannot create a union (no collection holds it); this test implements the API itself.
    assert [(w.pointer, w.severity) for w in warnings] == [("/paths/~1pets/post", "warning")]
    assert "cannot serve this operation" in warnings[0].message
    write_tree(tmp_path, files)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "client"), str(tmp_path / "server")])}
    result = subprocess.run([sys.executable, "-c", CALLS], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


def test_the_discriminator_is_a_fact_of_the_union_and_an_argument_stays_a_plain_union() -> None:
    api, _files, _warnings = generate_files(str(SPEC))
    [pet] = [a for a in api.aliases if a.name == "Pet"]
    assert isinstance(pet.type, UnionOf)
    assert pet.type.discriminator == Discriminator(
        "pet_type", (("cat", "Cat"), ("kitten", "Cat"), ("lizard", "Lizard"), ("Dog", "Dog"))
    )
    assert render(pet.type, argument=True) == "Cat | Dog | Lizard"


def test_a_union_with_an_inline_member_keeps_no_discriminator(tmp_path: Path) -> None:
    """Only generated models can be told apart by a tag: with an inline member the union stays a plain union."""
    spec = tmp_path / "api.yaml"
    text = SPEC.read_text(encoding="utf-8").replace(
        '- {$ref: "#/components/schemas/Lizard"}', "- {type: object, required: [pet_type], properties: {pet_type: {type: string}}}"
    )
    spec.write_text(text, encoding="utf-8")
    api, _files, _warnings = generate_files(str(spec))
    [pet] = [a for a in api.aliases if a.name == "Pet"]
    assert isinstance(pet.type, UnionOf) and len(pet.type.members) == 3 and pet.type.discriminator is None
