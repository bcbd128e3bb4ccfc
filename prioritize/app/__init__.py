"""The council page: a Streamlit app over the core library and the store.

``main.py`` is the entry script (``streamlit run``), ``views/`` holds one script per page,
``state.py`` the per-browser-session state (who is signed in, which round), ``cached.py``
the pure computations cached on the round's revision, ``text.py`` how user text is shown
(plain, never markup); ``prioritize app`` is :mod:`prioritize.cli.app`. The pages call the
core and the store; they hold no model logic.
"""

from __future__ import annotations

from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
ENTRY = APP_DIR / "main.py"
#: One script per page. Not named ``pages/``: Streamlit would also serve a folder of that
#: name beside the entry script as pages of their own, so that an address such as /debate
#: opened in a new tab ran the page without the entry script (no navigation, no sign-in
#: from the browser's cookie).
PAGES = APP_DIR / "views"
#: Set to 1 by ``prioritize app`` when the user asked for the demo council (no ``--db``, or
#: ``--example``): only then is a missing database created with the bundled example.
DEMO_ENV = "PRIORITIZE_DEMO"
#: Minutes a signed-in browser may stay unused before its member signs in again (set by
#: ``prioritize app --idle-minutes``; default a working day, 480).
IDLE_ENV = "PRIORITIZE_IDLE_MINUTES"
