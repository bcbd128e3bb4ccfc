"""``streamlit run app.py``: the council page on the bundled example (or ``$PRIORITIZE_DB``).
The pages live in the package (``prioritize/app``); this file only starts them."""

import runpy

from prioritize.app import ENTRY

runpy.run_path(str(ENTRY), run_name="__main__")
