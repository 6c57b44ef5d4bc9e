from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    client_approval_ids = fields.Many2many(
        comodel_name="lift.client.approval",
        string="Timesheet Letters",
        compute="_compute_client_approval_ids",
    )
    client_approval_note = fields.Text(
        string="Client Approval", compute="_compute_client_approval_ids"
    )

    @api.depends("timesheet_ids.client_approval_id")
    def _compute_client_approval_ids(self):
        """The invoice says who approved its hours and when."""
        for move in self:
            letters = move.sudo().timesheet_ids.client_approval_id
            move.client_approval_ids = letters
            move.client_approval_note = "\n".join(
                letter._get_invoice_note() for letter in letters.sorted("date_start")
            )

    def _link_timesheets_to_invoice(self, start_date=None, end_date=None):
        """The client's own references travel onto the invoice, unless it
        carries a reference of the client's already (the order's)."""
        res = super()._link_timesheets_to_invoice(
            start_date=start_date, end_date=end_date
        )
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            references = (
                move.sudo()
                .timesheet_ids.client_approval_id.filtered("client_reference")
                .mapped("client_reference")
            )
            references = list(dict.fromkeys(references))
            # the orders' own names are no reference of the client's (19.0
            # puts them in the invoice's reference when the order has none)
            orders = set(move.line_ids.sale_line_ids.order_id.mapped("name"))
            if (
                references
                and not set(filter(None, (move.ref or "").split(", "))) - orders
            ):
                move.ref = ", ".join(references)
        return res

    def _get_client_approval_attachments(self):
        """The PDF letters the clients approved, as sent to them."""
        letters = self.sudo().timesheet_ids.client_approval_id
        if not letters:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "lift.client.approval"),
                    ("res_id", "in", letters.ids),
                    ("mimetype", "=", "application/pdf"),
                ],
                order="id desc",
            )
        )
