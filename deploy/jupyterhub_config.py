"""JupyterHub for Partnering Kit on one machine: the configuration the test suite runs.

``tests/browser/test_jupyterhub.py`` starts a real JupyterHub with this file
(``python -m jupyterhub -f deploy/jupyterhub_config.py``), its ``configurable-http-proxy``
from npm, a password for every user (``DummyAuthenticator``: for trying the kit, never for a
real programme) and one local process per user (``SimpleLocalProcessSpawner``). Each user's
server is ``jupyterhub-singleuser`` with the Voila server extension, so the kit's apps open at
``/user/<name>/voila/render/<app>.ipynb`` behind the hub's sign-in. ``docs/serving.md``
explains how each setting maps onto Zero to JupyterHub on Kubernetes.

Settings come from the environment, so the same file serves a test and a trial:

=========================  =====================================================  ==========
variable                   meaning                                                default
=========================  =====================================================  ==========
``KIT_DATABASE_URL``       the kit's shared store (PostgreSQL), passed to users   required
``KIT_FACILITATORS``       hub users who may open the facilitator dashboard       none
``KIT_HUB_PASSWORD``       the one password DummyAuthenticator accepts            required
``KIT_HUB_PORT``           the public port of the proxy                           8000
``KIT_HUB_API_PORT``       the hub's own port (proxy and servers talk to it)      8081
``KIT_HUB_PROXY_API_PORT`` the proxy's API port                                   8001
``KIT_HUB_STATE``          folder for the hub's database and secrets              ``.``
``KIT_HUB_PROXY``          the ``configurable-http-proxy`` command                on PATH
``KIT_HUB_NOTEBOOKS``      folder of notebooks each user's server shows           the kit's
=========================  =====================================================  ==========
"""

import os
import sys
from pathlib import Path

from kit._paths import notebooks_dir
from kit.voila import TEMPLATE_NAME, jupyter_data_root

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file

env = os.environ
state = Path(env.get("KIT_HUB_STATE", ".")).resolve()
state.mkdir(parents=True, exist_ok=True)

# -- the hub and its proxy ---------------------------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env.get("KIT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("KIT_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('KIT_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [env.get("KIT_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"  # the hub's own records
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# -- who may sign in ---------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = env["KIT_HUB_PASSWORD"]
c.Authenticator.allow_all = True

# -- each user's server ------------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner: a local process per user
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = env.get("KIT_HUB_NOTEBOOKS", str(notebooks_dir()))
c.Spawner.default_url = "/voila/render/00_start_here.ipynb"
c.Spawner.args = [
    # the same Voila settings as `kit serve`: sources hidden, the kit's template, no tracebacks
    f"--VoilaConfiguration.template={TEMPLATE_NAME}",
    "--VoilaConfiguration.theme=light",
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.allow_template_override=NO",
    "--VoilaConfiguration.allow_theme_override=NO",
]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # SimpleLocalProcessSpawner runs servers as the hub's own account; in a container that is
    # often root, which Jupyter refuses unless told. (Under KubeSpawner each user is not root.)
    c.Spawner.args.append("--ServerApp.allow_root=True")
c.Spawner.environment = {
    "KIT_DATABASE_URL": env["KIT_DATABASE_URL"],
    "KIT_FACILITATORS": env.get("KIT_FACILITATORS", ""),
    "JUPYTER_PATH": str(jupyter_data_root()),  # where Voila finds the kit's template
    **{k: v for k, v in env.items() if k in ("KIT_TODAY", "KIT_MIN_GROUP_SIZE", "KIT_CONTENT_PATH")},
}
# A server starting on a busy machine (or a node pulling an image) needs time.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# Resource limits per user: honoured by spawners that can enforce them (KubeSpawner,
# SystemdSpawner); a local process spawner only records them.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0
