"""Helpers of the live tests: the example scenario, a scripted exercise driven in-process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from ballotdrill.journal import Event
from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore, Request
from ballotdrill.live.play import close_ended
from ballotdrill.live.rebuild import start_live
from ballotdrill.live.session import Session
from ballotdrill.live.store import MemoryStore
from ballotdrill.scenarios import load_file
from ballotdrill.scenarios.scenario import ScenarioFile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "live.yaml"


def example() -> ScenarioFile:
    return load_file(EXAMPLE)


async def wait_for(predicate: Callable[[], bool], core: LiveCore, limit: float = 20.0) -> None:
    """Wait (polling) until ``predicate`` holds or the exercise ends."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate() and not core.ended:
        if loop.time() > deadline:
            raise AssertionError("the live exercise never reached the awaited state")
        await asyncio.sleep(0.005)


async def open_request(core: LiveCore, actor: str) -> Request:
    await wait_for(lambda: bool(core.open_requests(actor)), core)
    return core.open_requests(actor)[0]


def play_scripted(folder: Path, script: Callable[[Session], Awaitable[None]], *, speed: float = 3000.0,
                  played: tuple[str, ...] = ("interior", "monitor"), seed: int = 1) -> LiveCore:
    """A live exercise of the example played at ``speed`` with ``script`` as the people; ends by itself."""
    core = start_live(folder, example(), "wave", seed=seed, played=played, speed=speed)

    async def main() -> None:
        session = Session(core)
        runner = asyncio.create_task(session.run())
        await script(session)
        await runner

    asyncio.run(main())
    close_ended(core, folder)
    return core


def desk_answers(doc: ScenarioFile, answered_at: float | None, option: str = "act") -> list[Event]:
    """The events of a live exercise of ``doc`` (scenario ``s``) with ``desk`` played, driven in-process without a
    clock: at ``answered_at`` the desk answers its one open request with ``option`` (None: nobody answers, its
    timeout applies the default); then it runs to its end."""
    core = LiveCore(doc, "s", seed=1, played=("desk",), store=MemoryStore())
    events: list[Event] = []
    core.followers.append(lambda event, _line: events.append(event))
    if answered_at is not None:
        core.advance(answered_at)
        [request] = core.open_requests("desk")
        assert core.apply(inputs.answer(str(request.number), option, player="desk")).ok
    core.advance(core.horizon)
    core.commit()
    return events
