"""flask_app's Flask app wrapped in wsgiref.validate.validator, its warnings made errors: the set-up of issue 13's report,
where nginx's HTTP_CONTENT_TYPE and HTTP_CONTENT_LENGTH next to the CGI names made every POST with a body a 500."""
import warnings
from wsgiref.validate import WSGIWarning, validator

from flask_app import app

# the validator's warnings only: a deprecation inside Flask is not what this app is about
warnings.simplefilter('error', WSGIWarning)

application = validator(app)
