"""The address of a contact's record in the company's CRM (Webpilot WPL-7-5, TWS-3.1-3's
"open a hyperlink with the caller's number").

Owns :func:`crm_link`: ``[contacts] crm_url`` is a web address with placeholders
``{number}`` (the first number, as written), ``{name}``, ``{email}`` and ``{id}``; each is
filled URL-encoded. Other braces are left as they are, so a template is never an error here
(the configuration checks that it is an http(s) address).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from tws_tui.core.model import Contact

_PLACEHOLDER = re.compile(r"\{(number|name|email|id)\}")


def crm_link(template: str, contact: Contact) -> str:
    """``template`` with the contact's details in its placeholders."""
    values = {
        "number": contact.numbers[0][1] if contact.numbers else "",
        "name": contact.name,
        "email": contact.email or "",
        "id": contact.id,
    }
    return _PLACEHOLDER.sub(lambda found: quote(values[found.group(1)], safe=""), template)
