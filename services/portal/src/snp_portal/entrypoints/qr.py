"""A new authenticator's QR code, drawn on the server as inline SVG (the CSP's `img-src 'self'`
refuses a `data:` image, and no script is needed), and its secret grouped for reading aloud."""

from __future__ import annotations

import segno
from markupsafe import Markup

QR_TITLE = "QR code to scan with your authenticator app"


def qr_svg(otpauth_uri: str) -> Markup:
    """The SVG markup (segno's own output: paths, no style attributes, nothing from the user
    but the URI it encodes), with a role and a title so assistive technology names it."""
    svg = segno.make(otpauth_uri, error="m").svg_inline(
        scale=5, border=4, title=QR_TITLE, dark="#0b0c0c", light="#ffffff", svgclass="snp-qr"
    )
    return Markup(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S704


def grouped(secret: str, size: int = 4) -> str:
    """`JBSWY3DPEHPK3PXP` as `JBSW Y3DP EHPK 3PXP`: easier to read and to type."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
