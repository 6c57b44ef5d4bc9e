"""1.1.0: the e-mails to the client carry their link as the
notification's button, no longer in the text kept in a letter's history.

The client templates are reset to the module's text, and the token links
already kept in letters' histories are taken out (the clients' own e-mails
keep working links)."""

from odoo import SUPERUSER_ID, api

TEMPLATES = (
    "lift_client_approval.mail_template_client_request",
    "lift_client_approval.mail_template_client_reminder",
    "lift_client_approval.mail_template_auto_warning",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in TEMPLATES:
        template = env.ref(xmlid, raise_if_not_found=False)
        if template and template.template_fs:
            template.reset_template()
    cr.execute(
        r"""
        UPDATE mail_message
           SET body = regexp_replace(
                   body, 'access_token=[0-9A-Za-z-]+', 'access_token=', 'g')
         WHERE model = 'lift.client.approval'
           AND body LIKE '%access_token=%'
        """
    )
