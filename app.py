"""The Chalice app: creates it, configures it once (logs, middleware, the stage's clock) and registers
the blueprints from functions/. Nothing else."""
from chalice import Chalice

from functions.appeals.jobs import bp as appeal_jobs
from functions.appeals.open311_routes import bp as open311_routes
from functions.appeals.routes import bp as appeal_routes
from functions.calendar.jobs import bp as calendar_jobs
from functions.calendar.routes import bp as calendar_routes
from functions.identity.routes import bp as identity_routes
from functions.notifications.jobs import bp as notification_jobs
from functions.platform.routes import bp as platform_routes
from functions.platform.startup import configure

app = Chalice(app_name="qingdao-platform")
configure(app)
app.register_blueprint(platform_routes)
app.register_blueprint(identity_routes)
app.register_blueprint(calendar_routes)
app.register_blueprint(appeal_routes)
app.register_blueprint(open311_routes)
app.register_blueprint(calendar_jobs)
app.register_blueprint(notification_jobs)
app.register_blueprint(appeal_jobs)
