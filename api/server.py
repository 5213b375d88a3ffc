"""Run the API with uvicorn (`newsroom api`), on 127.0.0.1 unless told otherwise.

No CORS headers are ever sent: the API is for server-to-server use, so a browser page on
another site cannot read it with a user's token. Access logs stay off (they would hold the
query strings of every read); reads go to the audit log instead.
"""

from __future__ import annotations

import uvicorn

from api.app import DEFAULT_RATE_PER_MINUTE, create_app
from core.config import Config


def make_server(config: Config, host: str = "127.0.0.1", port: int = 8600,
                rate_per_minute: int = DEFAULT_RATE_PER_MINUTE) -> uvicorn.Server:
    """A uvicorn server for the API (call `.run()`; tests run it in a thread)."""
    app = create_app(config, rate_per_minute)
    return uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False,
        server_header=False, proxy_headers=False, lifespan="off",
    ))
