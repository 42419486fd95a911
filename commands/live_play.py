"""The live exercise's commands: live, resume, join and replay."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ballotdrill import application, scenarios
from ballotdrill.commands.common import (
    FileOption,
    load_scenarios,
    say,
)

ServeOption = Annotated[str | None, typer.Option(
    "--serve", metavar="[HOST:PORT]",
    help="Also serve the exercise to players, facilitator and evaluator over HTTP (default 127.0.0.1, a free port).")]
PausedOption = Annotated[bool, typer.Option(
    "--start-paused", help="Start with the clock stopped (hand out the tokens, then type 'resume').")]
PlayOption = Annotated[list[str] | None, typer.Option(
    "--play", help="An actor (or a role: its actor in this scenario) played by a person (repeat for several); "
                   "the others are automated.")]


def live(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    speed: Annotated[float, typer.Option(help="Times faster than real time (60: a simulated minute a second).")] = 60.0,
    seed: Annotated[int, typer.Option(help="Seed of the run's random streams.")] = 1,
    play: PlayOption = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Run folder (default: a new folder under runs/).")] = None,
    serve: ServeOption = None,
    start_paused: PausedOption = False,
) -> None:
    """Play a scenario live against the wall clock; commands on stdin (type 'help'); report at the end."""
    from ballotdrill.application.runs import before_writing
    from ballotdrill.live import inputs, rebuild
    from ballotdrill.live import play as playing
    from ballotdrill.live.serve import listen_on

    with before_writing("the exercise"):  # a Ctrl-C here leaves nothing behind
        inputs.speed(speed, "--speed")  # checks the value
        doc = load_scenarios(file)
        name, _ = scenarios.pick(doc, scenario)
        listening = listen_on(serve) if serve is not None else None  # a taken port fails before a run folder is made
        folder = out_dir or application.new_run_dir(name, seed)
    core, held = rebuild.open_live(folder, doc, name, seed=seed, played=play or [], speed=speed,
                                   source=str(file) if file else "built-in library")
    commands = ", ".join([*inputs.COMMANDS, *(["who"] if serve is not None else [])])
    with held:
        _finish_live(playing.play(core, folder, dashboard=sys.stdin.isatty() and sys.stdout.isatty(),
                                  serve=listening, say=say, start_paused=start_paused, held=held, opening=(
                                      f"live: {name} seed {seed} at speed {speed:g}, playing "
                                      f"{', '.join(core.played) or 'no actor'}; journal {folder / 'journal.sqlite'}; "
                                      f"commands: {commands} (help for usage)")))


def resume(folder: Annotated[Path, typer.Argument(
        help="Folder of a live exercise that stopped (crash, Ctrl-C).")], serve: ServeOption = None,
        start_paused: PausedOption = False) -> None:
    """Carry on a live exercise that stopped: rebuilt to its last commit from its seed and inputs, then live."""
    from ballotdrill.live import play as playing
    from ballotdrill.live import rebuild
    from ballotdrill.live.serve import listen_on

    listening = listen_on(serve) if serve is not None else None
    core, held = rebuild.open_resumed(folder)
    with held:
        _finish_live(playing.play(core, folder, dashboard=sys.stdin.isatty() and sys.stdout.isatty(),
                                  serve=listening, say=say, start_paused=start_paused, held=held, opening=(
                                      f"resumed {core.name} at {core.clock()} with {core.count - 1} inputs "
                                      f"replayed; journal {folder / 'journal.sqlite'}")))  # less its own restart


def join(
    url: Annotated[str, typer.Argument(help="The exercise's join link, e.g. http://127.0.0.1:8765/.")],
    token_file: Annotated[Path, typer.Option(help="File holding your role's token (from the exercise's tokens/).")],
) -> None:
    """Join a served live exercise as a player, from the terminal: inbox, decisions, questions, actions."""
    from ballotdrill.live import join as joining
    from ballotdrill.live import tokens

    joining.join(url, tokens.read_token_file(token_file))


def _finish_live(written: list[Path]) -> None:
    from ballotdrill.journal.interrupts import interrupts_held

    with interrupts_held(deliver=False):  # the exercise is reported: its last line is printed whole
        say("exercise ended; report: " + ", ".join(str(p) for p in written))


def replay(folder: Annotated[Path, typer.Argument(help="Folder of a live exercise (finished or crashed).")]) -> None:
    """Re-run a live exercise from its journal in batch: exit 0 if identical, 1 at the first divergence."""
    from ballotdrill.live import rebuild

    result = rebuild.replay_folder(folder)
    say(("identical: " if result.identical else "diverged: ") + result.message)
    if not result.identical:
        raise typer.Exit(1)


