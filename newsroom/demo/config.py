"""The demo's newsroom.toml: storage under var/demo/, sources pointing at the local site.

Rewritten on every run (the port may differ when --port is given); see `state` for what is
kept between runs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from core.config import Config, load_config

logger = logging.getLogger(__name__)

DEMO_DIR = Path("var/demo")
CONFIG_NAME = "newsroom.toml"
DEMO_PASSWORD = "demo-newsroom"
"""Password of every demo dashboard user (documented in README.md). Demo only."""
DEMO_USERS = (
    ("adviseur", "adviser", ()),
    ("projectleider", "project_lead", ("Stadskantoor Spuiboulevard",)),
    ("management", "management", ()),
)
DEMO_PSEUDONYM_KEY = "newsroom-demo-only-pseudonym-key-never-use-in-production"
DEMO_WATCHES = (
    ("Stadskantoor Spuiboulevard", "stadskantoor OR spuiboulevard", "projectleider"),
    ("Parkeren binnenstad", "parkeer* AND binnenstad", ""),
    ("Energietransitie", "energietransitie OR warmtenet OR zonnepanel* OR aardgas*", ""),
)
SOURCE_IDS = ("demo-drechtstad", "demo-merwede", "demo-gemeente", "demo-social")


def ensure_pseudonym_key(env_name: str = "NEWSROOM_PSEUDONYM_KEY") -> bool:
    """Set a demo-only pseudonym key when none is set; True when it did."""
    if os.environ.get(env_name):
        return False
    os.environ[env_name] = DEMO_PSEUDONYM_KEY
    logger.warning(
        "%s was not set; using a demo-only key. Set your own secret for real use.", env_name
    )
    return True


def hash_password(password: str) -> str:
    import bcrypt

    # Cost 10: the demo writes three hashes on every start; real installs use the default.
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=10)).decode("ascii")


def _host_and_port(base_url: str) -> str:
    """`127.0.0.1:8765`: the allow-list admits the demo site's port, not the whole host."""
    from urllib.parse import urlsplit

    return urlsplit(base_url).netloc


def demo_config_text(
    base_url: str,
    password_hashes: dict[str, str],
    mail_port: int = 8025,
    dashboard_port: int = 8501,
) -> str:
    """The TOML of the demo config; every source points at `base_url`, mail at `mail_port`."""
    users = "\n".join(
        "[[dashboard.users]]\n"
        f'username = "{name}"\nrole = "{role}"\n'
        f'password_hash = "{password_hashes[name]}"\n'
        f"watches = [{', '.join(_quote(w) for w in watches)}]\n"
        for name, role, watches in DEMO_USERS
    )
    watches = "\n".join(
        f"[[watches]]\nname = {_quote(name)}\nquery = {_quote(query)}\nowner = {_quote(owner)}\n"
        for name, query, owner in DEMO_WATCHES
    )
    return f"""# Written by `newsroom demo run`; rewritten on every run. FICTIONAL demo data only.
# Dashboard users: adviseur, projectleider, management; password "{DEMO_PASSWORD}".

[storage]
path = "newsroom.db"

[crawl]
user_agent = "newsroom-demo/0.1 (demo van newsroom)"
allow_private_hosts = [{_quote(_host_and_port(base_url))}]
timeout_seconds = 15
retries = 1
concurrent_requests_per_domain = 8

[schedule]
backup_dir = "backups"

[model]
backend = "embedded"   # the demo runs offline; "auto" would fall back to it as well
municipality = "Dordrecht"

[mail]
host = "127.0.0.1"
port = {mail_port}
security = "none"
sender = "newsroom-demo@example.org"
dashboard_url = "http://localhost:{dashboard_port}"

[[mail.recipients]]
email = "management@example.org"
role = "management"
name = "Management (demo)"

[[mail.recipients]]
email = "projectleider@example.org"
role = "project_lead"
name = "Projectleider stadskantoor (demo)"
watches = ["Stadskantoor Spuiboulevard"]

[alerts]
min_count = 5
baseline_days = 14

{users}
{watches}
[[sources]]
id = "demo-drechtstad"
name = "Drechtstad Dagblad (demo)"
kind = "news"
type = "rss"
url = "{base_url}/drechtstad/feed.xml"
fictional = true
interval_minutes = 30

[[sources]]
id = "demo-merwede"
name = "Merwede Courant (demo)"
kind = "news"
type = "sitemap"
url = "{base_url}/merwede/sitemap.xml"
allow = "/merwede/artikel/"
fictional = true
interval_minutes = 60

[[sources]]
id = "demo-gemeente"
name = "Gemeente Dordrecht (demo)"
kind = "official"
type = "listing"
url = "{base_url}/gemeente/nieuws"
link_selector = "ul.nieuwslijst a"
allow = "/gemeente/nieuws/."
fictional = true
interval_minutes = 120

[[sources]]
id = "demo-social"
name = "#dordrecht (demo-Mastodon)"
kind = "social"
type = "mastodon"
url = "{base_url}"
tag = "dordrecht"
limit = 40
fictional = true
interval_minutes = 30
"""


def write_demo_config(
    workdir: Path, base_url: str, mail_port: int = 8025, dashboard_port: int = 8501
) -> Config:
    """Write `workdir/newsroom.toml` for a site at `base_url`, and load it (validated)."""
    workdir.mkdir(parents=True, exist_ok=True)
    hashes = {name: hash_password(DEMO_PASSWORD) for name, _role, _w in DEMO_USERS}
    path = workdir / CONFIG_NAME
    path.write_text(
        demo_config_text(base_url, hashes, mail_port, dashboard_port), encoding="utf-8"
    )
    return load_config(path)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
