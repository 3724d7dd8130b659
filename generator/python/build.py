"""Model stage: one pure function from a validated document to the intermediate model."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.config import Settings
from generator.errors import Finding
from generator.api import types
from generator.api.model import api_model
from generator.python import imports, names, readme, text
from generator.python.ir import Alias, Api
from generator.python.naming import name_everything
from generator.python.operations import build_resources
from generator.python.schemas import SchemaViews
from generator.spec import read_spec

_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def build_api(spec: dict[str, Any], source: str, pointers: dict[int, str] | None = None, settings: Settings | None = None) -> Api:
    """`pointers` maps id() of the document's mappings and lists to their JSON pointers (see load.pointer_index),
    so the warnings name the node they are about. `settings`: the project's configuration (package and project
    names, version, description, licence, authors); the document decides whatever it leaves unset."""
    settings = settings or Settings()
    warnings: list[Finding] = []
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = str(info.get("title") or "API")
    view = read_spec(spec, pointers or {})
    model = api_model(spec, view, warnings)
    named = name_everything(
        model, title, warnings, client_package=settings.client_package or "", server_package=settings.server_package or ""
    )
    client_class, client_package, server_package = named.client_class, named.client_package, named.server_package
    views = SchemaViews(model, named, warnings)
    error_model = views.name(model.common_error) if model.common_error else ""
    resources = build_resources(model, named, views, error_model)
    prefix = names.env_prefix(title)
    servers = [s for s in spec.get("servers") or [] if isinstance(s, dict) and isinstance(s.get("url"), str)]
    hosts = tuple((text.one_line(s.get("description") or s["url"]), text.literal(s["url"])) for s in servers)
    raw_version = str(info.get("version") or "")
    version = settings.version or (raw_version if _PEP440.fullmatch(raw_version) else "0.0.0")
    models, enums, aliases = tuple(views.models.values()), tuple(views.enums.values()), _alias_order(views.aliases)
    model_names = tuple([*views.enums, *views.models, *views.aliases])
    used_by_kind = {
        "models": imports.models_uses(models, enums, aliases),
        "client": imports.client_uses(resources) | {error_model},
        "requests": imports.requests_uses(resources),
        "interface": imports.interface_uses(resources),
        "memory": imports.memory_uses(resources),
        "app": imports.app_uses(resources) | {error_model},
    }
    readme_names = readme.Names(
        client_package, client_class, f"Async{client_class}", f"{prefix}_HOST", f"{prefix}_{_api_key_name(spec)}", f"{prefix}_LOG"
    )
    return Api(
        title=text.one_line(title),
        version=version,
        source=text.one_line(source),
        client_package=client_package,
        server_package=server_package,
        client_project=settings.client_project or client_package,
        server_project=settings.server_project or server_package,
        client_description=_toml(settings.description or f"Typed Python client for the {title} API, generated from its OpenAPI document."),
        server_description=_toml(
            settings.description
            or f"FastAPI server stub and in-memory fake of the {title} API, generated from its OpenAPI document."
        ),
        license=_toml(settings.license or ""),
        authors=tuple((_toml(name), _toml(email)) for name, email in settings.authors),
        client_class=client_class,
        async_client_class=f"Async{client_class}",
        user_agent=text.literal(f"{client_package}/{version}"),
        api_key_env=text.literal(f"{prefix}_{_api_key_name(spec)}"),
        host_env=text.literal(f"{prefix}_HOST"),
        log_env=text.literal(f"{prefix}_LOG"),
        default_host=hosts[0][1] if hosts else text.literal("http://localhost"),
        hosts=hosts,
        models=models,
        enums=enums,
        aliases=aliases,
        resources=resources,
        title_literal=text.literal(title),
        title_toml=text.toml_string(title)[1:-1],
        title_markdown=text.markdown(" ".join(title.split())),
        doc_markdown=text.markdown(info.get("description")),
        server_keys_env=text.literal(f"{prefix}_API_KEYS"),
        server_keys_env_doc=text.one_line(f"{prefix}_API_KEYS"),
        imports={kind: imports.import_lines(used) for kind, used in used_by_kind.items()},
        model_imports={kind: imports.models_import(imports.used_models(used, model_names)) for kind, used in used_by_kind.items()},
        examples=readme.examples(resources, models, readme_names),
        tag_groups=readme.tag_groups(spec, resources),
        warnings=tuple(warnings),
        media_exports=imports.media_exports(resources, models),
        error_model=error_model,
    )


def _toml(value: str) -> str:
    """Text escaped for a TOML basic string, without the quotes."""
    return text.toml_string(value)[1:-1]


def _alias_order(aliases: dict[str, Alias]) -> tuple[Alias, ...]:
    """Aliases are evaluated at import, so each comes after the aliases its expression names (spec order
    otherwise). A reference that closes a cycle (`Tree = Dict[str, Tree]`) cannot be evaluated: it becomes Any."""
    ordered: list[Alias] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed:
            return
        alias = aliases[name]
        used = types.named(alias.type)
        cyclic = frozenset(u for u in used if u in path or u == name)
        if cyclic:
            alias = replace(alias, type=types.substitute(alias.type, cyclic))
        for other in sorted(used - cyclic):
            if other in aliases:
                place(other, path + (name,))
        placed.add(name)
        ordered.append(alias)

    for name in aliases:
        place(name, ())
    return tuple(ordered)


def _api_key_name(spec: dict[str, Any]) -> str:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for key, scheme in schemes.items():
        if isinstance(scheme, dict) and (scheme.get("scheme") == "bearer" or scheme.get("type") == "apiKey"):
            return names.snake(str(key), fallback="api_key").rstrip("_").upper()
    return "API_KEY"
