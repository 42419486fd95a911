"""Live play: a scenario played against the wall clock, with people deciding in real time.

``core`` owns one exercise and applies typed inputs to it; ``store`` writes the journal and the
inputs through to SQLite; ``rebuild`` replays a run folder's inputs (``replay``, ``resume``);
``session`` is the asyncio loop that advances the simulation with the wall clock; ``console``
is the facilitator's terminal front end. Depends on the application layer; nothing imports it
but front ends.
"""
