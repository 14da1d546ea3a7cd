"""What every process of the app needs before its first request or job, done once by `app.py`:
JSON logs and the HTTP middleware, the bearer-token verifier of the route toolkit, the stage's clock (the movable one on stages with dev features), and what the stage's platforms hand the floors below (clock handlers to the SLA sweeper, notice texts to notifications).

Installed from here, above `shared`, so `shared` never imports the floors built on it.
"""
from __future__ import annotations

from functions import platforms
from functions.api.routes import install_bearer_verifier
from functions.identity.tokens import verify
from functions.platform.clock import movable_clock
from functions.settings import get_settings
from functions.shared.clock import SystemClock, install_stage_clock
from functions.shared.middleware import install_middleware


def configure(app) -> None:
    """`app` is the Chalice app of app.py (not imported here: only routes and jobs import Chalice)."""
    install_middleware(app)
    install_bearer_verifier(verify)
    install_stage_clock(movable_clock() if get_settings().dev_features else SystemClock())
    platforms.install()
