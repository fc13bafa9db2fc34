"""The frame every HTML page shares: one style, and a policy under which nothing loads and only the page's
own script, if it has one, runs. The pages must work from file:// with no network."""

from __future__ import annotations

import base64
import hashlib
from html import escape

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:0 16px 48px;color:#222}
h1{font-size:1.4em;margin:18px 0 4px}h2{font-size:1.1em;margin:24px 0 8px;border-bottom:1px solid #ddd}
.meta,.dim{color:#666}.warn{color:#8a5a00}
#player{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #ddd;z-index:1}
#player audio{width:100%}
#transcript ol{list-style:none;padding:0;margin:0;max-height:420px;overflow-y:auto}
#transcript li{display:flex;gap:10px;padding:4px 6px;border-radius:4px;cursor:pointer}
#transcript li:hover{background:#f3f6fa}#transcript li.current{background:#fff2b3}
#transcript li.missing .text{color:#999;font-style:italic}
#transcript time{color:#666;font-variant-numeric:tabular-nums;min-width:3.5em}
#transcript .who{min-width:6.5em;font-weight:600}.interviewer .who{color:#1f6f8f}.candidate .who{color:#2e7d32}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;
vertical-align:top}.yes{color:#2e7d32}.no{color:#c62828}.partly{color:#a06800}
.legend span{display:inline-block;margin-right:14px}.swatch{display:inline-block;width:10px;height:10px;
margin-right:4px;vertical-align:middle}
"""


def page(title: str, body: str, script: str | None = None) -> str:
    """A whole page around `body`; `script`, when given, is the one script allowed to run (by its hash)."""
    allowed = "'none'"
    if script is not None:
        allowed = f"'sha256-{base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode('ascii')}'"
    policy = (f"default-src 'none'; script-src {allowed}; style-src 'unsafe-inline'; media-src data:; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    tail = f"<script>{script}</script>\n" if script is not None else ""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n"
            f"{tail}</body></html>\n")
