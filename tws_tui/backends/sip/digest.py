"""HTTP digest authentication for SIP (RFC 2617 / RFC 3261 §22, MD5 and MD5-sess, qop=auth).

Owns the answer to a 401 (``WWW-Authenticate`` → ``Authorization``) or a 407
(``Proxy-Authenticate`` → ``Proxy-Authorization``) challenge. pyVoIP 1.6.8 handled 401 without
qop only (study defect #2); this handles both, with a nonce count per nonce.

Replaces pyVoIP's digest rather than patching it: ``SIPClient.gen_authorization`` hashes a fixed
``sip:<server>;transport=UDP`` as the digest URI whatever the request, uses the SIP user as the
auth user, has no qop/nc/cnonce, no MD5-sess and no opaque; and ``SIPMessage``'s challenge regex
cuts a quoted value at its first comma (``qop="auth,auth-int"``) and leaves
``Proxy-Authenticate`` unparsed. The challenge is read here from the raw header value.
"""

from __future__ import annotations

import hashlib
import secrets

from tws_tui.backends.sip.addresses import split_list
from tws_tui.backends.sip.message import SipMessage


class AuthError(ValueError):
    """The challenge cannot be answered (unknown algorithm, no realm…)."""


def parse_challenge(value: str) -> dict[str, str]:
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "digest":
        raise AuthError(f"unsupported auth scheme {scheme!r}")
    out: dict[str, str] = {}
    for item in split_list(rest):
        name, _, val = item.partition("=")
        out[name.strip().lower()] = val.strip().strip('"')
    if "nonce" not in out:
        raise AuthError("challenge without nonce")
    return out


class DigestAuth:
    """Credentials for one account, answering challenges as they come."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self._nc: dict[str, int] = {}

    def answer(self, response: SipMessage, method: str, uri: str) -> tuple[str, str]:
        """(header name, value) answering the challenge in a 401/407 ``response``."""
        header = "www-authenticate" if response.code == 401 else "proxy-authenticate"
        raw = response.get(header)
        if not raw:
            raise AuthError(f"{response.code} without {header}")
        challenge = parse_challenge(raw)
        name = "Authorization" if response.code == 401 else "Proxy-Authorization"
        return name, self.build(challenge, method, uri)

    def build(self, ch: dict[str, str], method: str, uri: str) -> str:
        algorithm = ch.get("algorithm", "MD5")
        if algorithm.upper() not in ("MD5", "MD5-SESS"):
            raise AuthError(f"unsupported digest algorithm {algorithm!r}")
        realm, nonce = ch.get("realm", ""), ch["nonce"]
        qops = [q.strip() for q in ch.get("qop", "").split(",") if q.strip()]
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper() == "MD5-SESS":
            ha1 = _md5(f"{ha1}:{nonce}:{cnonce}")
        ha2 = _md5(f"{method}:{uri}")
        parts = [
            f'username="{self.user}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{uri}"',
        ]
        if "auth" in qops:
            self._nc[nonce] = nc = self._nc.get(nonce, 0) + 1
            nc_text = f"{nc:08x}"
            digest = _md5(f"{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}")
            parts += [f'response="{digest}"', "qop=auth", f"nc={nc_text}", f'cnonce="{cnonce}"']
        elif qops:
            raise AuthError(f"unsupported qop {ch.get('qop')!r}")
        else:
            parts.append(f'response="{_md5(f"{ha1}:{nonce}:{ha2}")}"')
        parts.append(f"algorithm={algorithm}")
        if "opaque" in ch:
            parts.append(f'opaque="{ch["opaque"]}"')
        return "Digest " + ", ".join(parts)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()
