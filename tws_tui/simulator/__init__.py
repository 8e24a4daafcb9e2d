"""An in-process CSTA switch for a simulated French company (demo, tests, reference server).

Owns nothing itself; import from the submodules. The entry points are
:class:`tws_tui.simulator.switch.Switch` (the switch), :mod:`tws_tui.simulator.company`
(the seeded company) and :class:`tws_tui.simulator.traffic.Traffic` (the generator that makes
the company live in demo mode). Pure Python, synchronous, no Textual, no asyncio.
"""
