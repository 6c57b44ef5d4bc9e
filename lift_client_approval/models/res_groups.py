from odoo import api, models

from .. import compat


class ResGroups(models.Model):
    """What the addon's XML asks of groups in the field names of the series
    it is loaded on (``compat``): private, called by its data files."""

    _inherit = "res.groups"

    @api.model
    def _lift_client_approval_set_privilege(self, category_xmlid, group_xmlids):
        compat.set_group_privilege(self.env, category_xmlid, group_xmlids)

    @api.model
    def _lift_client_approval_give_groups(self, xmlids, group_xmlids, only=False):
        compat.give_groups(self.env, xmlids, group_xmlids, only=only)
