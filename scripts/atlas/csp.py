"""The content-security policy every built page carries, as a <meta> tag (GitHub Pages sends
no headers of ours): the second wall, for anything that slipped past the sanitiser.

Scripts and styles come from the site's own origin only; the theme's own inline scripts run
because their sha256 hashes, computed here from the page as built, are listed. No plugin
objects, no <base> from elsewhere, forms submit nowhere else.
"""
from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.S | re.I)
# Script types a browser does not run (data blocks): no hash needed.
DATA_TYPES = re.compile(r"""\btype\s*=\s*["']?(application/(ld\+)?json|text/template)""", re.I)


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def policy(html: str) -> str:
    scripts = sorted({_hash(m["body"]) for m in INLINE_SCRIPT.finditer(html)
                      if "src=" not in m["attrs"] and not DATA_TYPES.search(m["attrs"]) and m["body"].strip()})
    styles = sorted({_hash(m["body"]) for m in INLINE_STYLE.finditer(html) if m["body"].strip()})
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(scripts),
        "style-src 'self' " + " ".join(styles),
        "img-src 'self' data:",  # the theme's icons are data: URLs in its stylesheet
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'none'",
    ]).replace("  ", " ").replace(" ;", ";")


def add_policy(html: str) -> str:
    """The page with its policy as the first thing in <head> after the charset (a policy applies
    only to what follows it)."""
    if "Content-Security-Policy" in html or "<head>" not in html:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    charset = re.search(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", html, re.I)
    if charset:
        return html[:charset.end()] + "\n    " + meta + html[charset.end():]
    return html.replace("<head>", "<head>\n    " + meta, 1)


def json_for_script(text: str) -> str:
    """JSON safe inside a <script> element: no data string can close it (`</script>`)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
