"""A POST written byte by byte, for headers no HTTP client would send (non-ASCII, undecodable)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


async def raw_post(url: str, headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    """POST `body` to `url` with exactly these headers; the status of the answer."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    head = [
        b"POST " + parts.path.encode() + b" HTTP/1.1",
        b"Host: " + parts.netloc.encode(),
        b"Content-Length: " + str(len(body)).encode(),
        b"Connection: close",
        *(name + b": " + value for name, value in headers),
    ]
    writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])
