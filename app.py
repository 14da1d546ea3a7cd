"""The Chalice app: creates it, configures it once (logs, middleware, the stage's clock, what the
platforms hand the floors below) and registers the blueprints of the platforms the stage runs
(functions/platforms.py). Nothing else."""
import gc

# A cold start creates tens of thousands of objects that live as long as the process (modules,
# classes, routes); the collector would walk them again and again while they are made. Collect
# nothing during the import, then freeze what it made out of every later collection.
gc.disable()

from chalice import Chalice  # noqa: E402

from functions import platforms  # noqa: E402
from functions.platform.startup import configure  # noqa: E402

app = Chalice(app_name="qingdao-platform")
configure(app)
for blueprint in platforms.blueprints():
    app.register_blueprint(blueprint)

gc.freeze()
gc.enable()
