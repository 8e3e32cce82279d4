"""Local fake servers (127.0.0.1 only) that speak the portals' own JSON shapes.

``python tests/fakes discourse|decidim|govocal [--port N]`` runs one for a manual demo.
"""
