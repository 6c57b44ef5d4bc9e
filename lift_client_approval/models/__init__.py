from . import res_company
from . import res_config_settings
from . import project_project
from . import lift_client_approval
from . import lift_client_approval_line_mixin
from . import account_analytic_line
from . import hr_expense
