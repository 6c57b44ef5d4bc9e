from . import test_project_config
from . import test_periods
from . import test_workflow
from . import test_locking
from . import test_security
from . import test_client_decide
