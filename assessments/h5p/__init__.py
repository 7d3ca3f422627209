"""H5P in Flightpath: the packages trainers upload (`packages.py`), the separate origin that
plays them (`origin.py`, `origin_urls.py`, `origin_views.py`, `player/`), and the xAPI
statements the player reports through the lesson page (`xapi.py`, `views.py`, `services.py`).
"""
