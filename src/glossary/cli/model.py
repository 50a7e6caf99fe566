"""Argos model commands: the `model` group (install, list, remove)."""

from __future__ import annotations

from pathlib import Path

import click

from . import CONTEXT_SETTINGS, main
from .common import dump_json, format_option, info, render_table

PAIR = ("nl", "en")


@main.group(context_settings=CONTEXT_SETTINGS)
def model() -> None:
    """Install, list and remove the Argos translation models.

    Models are Argos Translate packages (.argosmodel files) in argostranslate's
    packages folder ($ARGOS_PACKAGES_DIR, else
    ~/.local/share/argos-translate/packages), so packages installed with
    argospm are used too.

    \b
    Examples:
        glossary model install --from translate-nl_en-1_9.argosmodel
        glossary model install nl en
        glossary model list
        glossary model remove translate-nl_en-1_9
    """


@model.command("install", context_settings=CONTEXT_SETTINGS)
@click.argument("codes", nargs=-1, metavar="[FROM TO]")
@click.option(
    "--from",
    "archive",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Install this .argosmodel file (offline).",
)
@click.option("--force", is_flag=True, help="Replace a package of the same name.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def model_install(codes: tuple[str, ...], archive: Path | None, force: bool, quiet: bool) -> None:
    """Install an nl→en Argos package from a file, or download it when online.

    The archive is checked before anything is unpacked (one top folder, no
    absolute or '..' paths, no links, metadata.json with the nl→en pair, a
    CTranslate2 model and a SentencePiece tokenizer); a refused or
    interrupted install leaves nothing behind.

    \b
    Examples:
        glossary model install --from ~/Downloads/translate-nl_en-1_9.argosmodel
        glossary model install nl en
    """
    from glossary.engines.argos import packages as models

    if archive is not None and codes:
        raise click.UsageError("Give either --from FILE or the language codes, not both.")
    if archive is None and not codes:
        raise click.UsageError(
            "Give --from FILE.argosmodel, or 'nl en' to download from the Argos index."
        )
    if codes and tuple(c.lower() for c in codes) != PAIR:
        raise click.UsageError(
            f"glossary translates Dutch to English: use 'nl en', not '{' '.join(codes)}'."
        )
    if archive is not None:
        package = models.install_from_file(archive, replace=force)
    else:
        info("Downloading the nl→en package from the Argos index…", quiet)
        package = models.install_online(*PAIR, replace=force)
    click.echo(package.name)
    info(
        f"Installed {package.name} ({package.pair}, version {package.package_version or '?'}) "
        f"in {package.path.parent}",
        quiet,
    )


@model.command("list", context_settings=CONTEXT_SETTINGS)
@format_option(["table", "json"], "table")
def model_list(fmt: str) -> None:
    """List the installed Argos packages (and why any cannot be used).

    \b
    Examples:
        glossary model list
        glossary model list --format json
    """
    from glossary.engines.argos import packages as models

    folder = models.packages_dir()
    packages = models.list_packages(folder)
    if fmt == "json":
        click.echo(dump_json([p.to_dict() for p in packages]))
        return
    if not packages:
        info(f"No Argos packages installed in {folder}.")
        return
    rows = [
        [p.name, p.pair, p.package_version or "-", "ok" if p.usable else f"unusable: {p.problem}"]
        for p in packages
    ]
    click.echo(render_table(["name", "pair", "version", "status"], rows, max_width=72))
    info(f"{len(packages)} package(s) in {folder}")


@model.command("remove", context_settings=CONTEXT_SETTINGS)
@click.argument("name")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def model_remove(name: str, quiet: bool) -> None:
    """Remove an installed package by the name 'glossary model list' shows.

    \b
    Example:
        glossary model remove translate-nl_en-1_9
    """
    from glossary.engines.argos import packages as models

    package = models.remove_package(name)
    info(f"Removed {package.name} from {package.path.parent}", quiet)
