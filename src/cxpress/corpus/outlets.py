"""The outlet (publication) of each article: one spelling per outlet and its family, from
data/lexicons/outlets.yml, taken from the metadata or export field, else the URL's host, else the
file's folder."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cxpress.config import LEXICONS, read_yaml
from cxpress.text import defaults

if TYPE_CHECKING:
    import pandas as pd

OUTLETS_LEXICON = LEXICONS / "outlets.yml"

# "Le Journal, no. 23456", "Le Journal n° 512", "Le Journal - N°12"
_ISSUE = re.compile(r"\s*[,;–—-]?\s*\b(?:no|n°|nº|num(?:éro|ero)?)\s*\.?\s*\d[\w-]*.*$", re.IGNORECASE)
_WEB_EDITION = re.compile(r"\s*[-–—,]?\s*\(?\s*site\s+web\b[^)]*\)?", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HOST = re.compile(r"^[\w.-]+\.[a-z]{2,6}$", re.IGNORECASE)


def normalise_outlet(name: str | None) -> str | None:
    """The publication's name without the issue number, "(site web)" or an edition after a double
    space or a line break; None for a blank name.

    >>> normalise_outlet("Le Courrier du Client (démo), no. 4521")
    'Le Courrier du Client (démo)'
    >>> normalise_outlet("La Gazette de l'Ouest (démo)  Édition Loire-Atlantique")
    "La Gazette de l'Ouest (démo)"
    >>> normalise_outlet("Contact Hebdo (site web)")
    'Contact Hebdo'
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    text = unicodedata.normalize("NFC", str(name)).replace("\xa0", " ").strip()
    text = re.split(r"\n| {2,}|\t", text)[0]  # an edition or a rubric follows a double space or a new line
    text = _WEB_EDITION.sub("", _ISSUE.sub("", text))
    text = " ".join(text.split()).strip(" ,;:-–—")
    return text or None


def outlet_key(name: str) -> str:
    """The form aliases are matched on: case, accents, spaces and punctuation ignored ("lemonde.fr" ->
    "lemonde fr", "L'Écho" -> "l echo")."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return _NON_ALNUM.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


@dataclass(frozen=True)
class OutletLexicon:
    """Spelling key -> canonical outlet, and canonical outlet -> family (data/lexicons/outlets.yml)."""

    canonical: dict[str, str]
    family: dict[str, str]

    def resolve(self, name: str | None) -> tuple[str | None, str | None]:
        """(outlet, family) of a raw publication name: normalised, then mapped through the aliases."""
        clean = normalise_outlet(name)
        if clean is None:
            return None, None
        outlet = self.canonical.get(outlet_key(clean), clean)
        return outlet, self.family.get(outlet)


def load_outlet_lexicon(path: Path | None = None) -> OutletLexicon:
    """The aliases and families of an outlets YAML; an outlet in two families or an alias of two
    outlets is refused (one spelling, one family per outlet). A host alias ("lesechos.fr") also
    matches its name without the domain ("lesechos"), as folders are often named."""
    path = Path(path or OUTLETS_LEXICON)
    spec = read_yaml(path) or {}
    canonical: dict[str, str] = {}
    for outlet, spellings in (spec.get("aliases") or {}).items():
        for spelling in [outlet, *(spellings or [])]:
            key = outlet_key(normalise_outlet(str(spelling)) or "")
            if canonical.get(key, outlet) != outlet:
                raise ValueError(f"{path}: {spelling!r} is an alias of both {canonical[key]!r} and {outlet!r}")
            canonical[key] = outlet
            if _HOST.match(str(spelling)):  # "lesechos.fr" also names a folder "lesechos"
                canonical.setdefault(outlet_key(str(spelling).rsplit(".", 1)[0]), outlet)
    family: dict[str, str] = {}
    for group, outlets in (spec.get("families") or {}).items():
        for outlet in outlets or []:
            name = canonical.get(outlet_key(str(outlet)), str(outlet))
            if family.get(name, group) != group:
                raise ValueError(f"{path}: {name!r} is in two families ({family[name]!r}, {group!r})")
            family[name] = group
    return OutletLexicon(canonical, family)


def default_outlet_lexicon() -> OutletLexicon:
    """The outlet lexicon of data/lexicons/outlets.yml, once per process (cxpress.text.defaults)."""
    return defaults.shared("outlet lexicon", load_outlet_lexicon)


def url_host(url: str | None) -> str | None:
    """The host of a URL without "www." and port ("https://www.lemonde.fr/x" -> "lemonde.fr")."""
    if not url or not re.match(r"^[a-z][a-z0-9+.-]*://", str(url), re.IGNORECASE):
        return None
    host = (urlsplit(str(url)).hostname or "").lower()
    return host.removeprefix("www.") or None


def source_folder(source: str) -> str | None:
    """The folder holding an article's file, relative to the corpus root (None at the root)."""
    parts = PurePosixPath(str(source).split("#")[0].replace("\\", "/")).parts
    return parts[-2] if len(parts) > 1 else None


def article_outlet(outlet: str | None, url: str | None, source: str,
                   lexicon: OutletLexicon | None = None) -> dict:
    """`outlet` and `outlet_family` of one article: the metadata or export field, else the URL's
    host, else the file's folder; None for a file at the corpus root with neither."""
    lexicon = lexicon or default_outlet_lexicon()
    for candidate in (outlet, url_host(url), source_folder(source)):
        name, family = lexicon.resolve(candidate)
        if name:
            return {"outlet": name, "outlet_family": family}
    return {"outlet": None, "outlet_family": None}


def copy_outlets(articles: pd.DataFrame) -> pd.Series:
    """For each article, the sorted outlets of every copy of it (itself, its original, the other
    republications), so that a duplicate left out of the analyses still shows where it ran."""
    group = articles["dup_of"].where(articles["dup_of"].notna(), articles["doc_id"])
    outlets = articles["outlet"].astype(object).where(articles["outlet"].notna(), None)
    names = outlets.groupby(group).agg(lambda s: sorted({o for o in s if o is not None}))
    return group.map(names).rename("copy_outlets")
