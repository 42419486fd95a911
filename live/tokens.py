"""Join tokens of a served live exercise: one per played role, one for the facilitator, one for the evaluator.

Random (``secrets``), compared in constant time, written only to ``DIR/tokens.json`` and one
file per role under ``DIR/tokens/`` (mode 0600), never printed or logged; they expire with the
exercise (the server refuses every request once it has ended). A resumed exercise keeps its
tokens, so everyone rejoins with the link and token they had.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ballotdrill.live.views import EVALUATOR, FACILITATOR, PLAYER
from ballotdrill.scenarios.errors import BallotdrillError

TOKENS_FILE = "tokens.json"
TOKENS_DIR = "tokens"


class Grant(NamedTuple):
    """What a token lets its holder do: a role, and for a player the actor played."""

    role: str
    actor: str | None
    token: str

    @property
    def name(self) -> str:
        return self.actor if self.actor is not None else self.role


class Tokens:
    """The grants of one exercise, looked up by token in constant time."""

    def __init__(self, grants: Iterable[Grant]) -> None:
        self.grants = list(grants)

    @classmethod
    def issue(cls, played: Iterable[str]) -> Tokens:
        roles = [(PLAYER, actor) for actor in played] + [(FACILITATOR, None), (EVALUATOR, None)]
        return cls(Grant(role, actor, secrets.token_urlsafe(32)) for role, actor in roles)

    def check(self, token: str | None) -> Grant | None:
        """The grant of ``token``; every grant is compared, each in constant time."""
        if not token:
            return None
        given = token.encode("utf-8", "surrogateescape")
        found = None
        for grant in self.grants:
            if hmac.compare_digest(given, grant.token.encode()):
                found = grant
        return found

    def file_names(self) -> list[str]:
        """Each grant's token file name, distinct even on a file system that ignores case: ``ROLE.token``, and
        for an actor named like a role or like another played actor but for case, ``ACTOR.2.token`` (names hold
        no dot, so no actor's own name can take it)."""
        taken = {g.name.casefold() for g in self.grants if g.actor is None}
        names = []
        for grant in self.grants:
            stem = grant.name
            if grant.actor is not None:
                n = 1
                while stem.casefold() in taken:
                    n += 1
                    stem = f"{grant.name}.{n}"
                taken.add(stem.casefold())
            names.append(f"{stem}.token")
        return names

    def write(self, folder: Path, url: str) -> Path:
        """``tokens.json`` (every role's join link and token) and one token file per role, all mode 0600."""
        files = [folder / TOKENS_DIR / name for name in self.file_names()]
        entries = [{"role": g.role, "actor": g.actor, "join": url, "token": g.token, "token_file": str(file)}
                   for g, file in zip(self.grants, files, strict=True)]
        (folder / TOKENS_DIR).mkdir(mode=0o700, exist_ok=True)
        for grant, file in zip(self.grants, files, strict=True):
            _private(file, grant.token + "\n")
        path = folder / TOKENS_FILE
        _private(path, json.dumps({"url": url, "roles": entries}, indent=2) + "\n")
        return path

    @classmethod
    def load(cls, folder: Path) -> Tokens | None:
        """The tokens an earlier run of this exercise wrote (None when there are none)."""
        path = folder / TOKENS_FILE
        if not path.is_file():
            return None
        try:
            roles = json.loads(path.read_text(encoding="utf-8"))["roles"]
            return cls(Grant(r["role"], r["actor"], r["token"]) for r in roles)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BallotdrillError(f"{path}: cannot read the tokens ({exc}); remove it to issue new ones") from None


def _private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (created 0600, never widened)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_token_file(path: Path) -> str:
    """A token from a token file (its first line)."""
    hint = f"use a file from the exercise's '{TOKENS_DIR}/' folder"
    try:
        lines = path.read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BallotdrillError(f"{path}: cannot read a token from it ({getattr(exc, 'strerror', None) or exc}); "
                               f"{hint}") from None
    if not lines or not lines[0].strip():
        raise BallotdrillError(f"{path}: the token file is empty; {hint}")
    return lines[0].strip()
