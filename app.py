"""The Chalice app: creates it and registers the blueprints from functions/. Nothing else."""
from chalice import Chalice

from functions.calendar.routes import bp as calendar_routes
from functions.identity.routes import bp as identity_routes
from functions.notifications.jobs import bp as notification_jobs
from functions.platform.routes import bp as platform_routes
from functions.shared.middleware import install_middleware

app = Chalice(app_name="qingdao-platform")
install_middleware(app)
app.register_blueprint(platform_routes)
app.register_blueprint(identity_routes)
app.register_blueprint(calendar_routes)
app.register_blueprint(notification_jobs)
