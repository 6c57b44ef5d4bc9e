from . import lift_client_approval_invoicing_report
from . import lift_client_approval_analysis
