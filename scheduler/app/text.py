"""User text shown as text: names and messages escaped before a Markdown-rendering call.

Streamlit renders the body of ``st.caption``, ``st.markdown``, ``st.success``,
``st.error`` and their kin as Markdown, with KaTeX (``$…$``), coloured spans
(``:red[…]``), links and images — an uploaded file named
``![px](http://…)`` would make the browser fetch that image. Pages pass every
user-controlled piece of text (scenario, file, title, crew, base and actor
names, messages that echo cell values) through :func:`markdown_text`, which
backslash-escapes what Markdown would read, so it shows literally.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=\"'^%])")


def markdown_text(text: object) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it character for character.

    Every ASCII punctuation mark Markdown, KaTeX, colour directives or HTML
    could read is backslash-escaped; line breaks become spaces so a name
    cannot start a heading, list or block.
    """
    flat = " ".join(str(text).splitlines())
    return _SPECIAL.sub(r"\\\1", flat)
