"""Turn a rendered mail (a digest, for example) into a MIME message a mail client shows well.

Structure: multipart/alternative [text/plain, multipart/related [text/html, image/png…]],
so clients that cannot show HTML fall back to the text, and the charts travel inline,
referenced from the HTML by content-id.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Protocol, cast


class HtmlMail(Protocol):
    """What a rendered mail has: `images` are (content-id, PNG bytes, alt text)."""

    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def images(self) -> Sequence[tuple[str, bytes, str]]: ...


def html_message(digest: HtmlMail, sender: str, to: str, to_name: str = "") -> EmailMessage:
    """The email for one rendered mail (a digest) and one recipient."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="newsroom.local")
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    html_part = cast(EmailMessage, message.get_payload()[1])  # type: ignore[index]
    for cid, png, alt in digest.images:
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>",
                              filename=f"{cid.split('@')[0]}.png", disposition="inline")
        # The alt text also travels as the part's description for clients that list parts.
        image_part = cast(EmailMessage, html_part.get_payload()[-1])  # type: ignore[index]
        image_part["Content-Description"] = alt[:200]
    return message
