"""Helpers shared by the test modules (test modules never import each other).

- ``helpers.app``: Textual Pilot helpers (settle, ready, screen sizes, screen text).
- ``helpers.data``: deterministic responses and threads, a store filled with them.
- ``helpers.store``: small Response/Page builders and a two-source store for store tests.
- ``helpers.cli``: ``run_main`` (the command line in-process, its output captured).
- ``helpers.wpsite``: a fake WordPress behind ``httpx.MockTransport`` with a fault hook.
- ``helpers.relay``: a TCP relay on 127.0.0.1 that stops forwarding (a network that died).
- ``helpers.dashboard``, ``helpers.figures``: the dashboard host app, the hand-made memory.
"""
