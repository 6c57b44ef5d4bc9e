from . import lift_client_approval_refuse_wizard
from . import lift_client_approval_waive_wizard
from . import lift_client_approval_behalf_wizard
from . import mail_compose_message
from . import lift_client_approval_decline_wizard
