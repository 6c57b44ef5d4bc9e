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
            references = move._get_client_approval_references()
            # the orders' own names are no reference of the client's (19.0
            # puts them in the invoice's reference when the order has none)
            orders = set(move.line_ids.sale_line_ids.order_id.mapped("name"))
            if (
                references
                and not set(filter(None, (move.ref or "").split(", "))) - orders
            ):
                move.ref = ", ".join(references)
        return res

    def _get_client_approval_references(self):
        """The references the clients gave when they approved this invoice's
        hours, each once, in the order of the letters."""
        self.ensure_one()
        letters = self.sudo().timesheet_ids.client_approval_id.sorted("date_start")
        return list(dict.fromkeys(filter(None, letters.mapped("client_reference"))))

    def _get_client_approval_attachments(self):
        """The PDF letters the clients approved, as they approved them: one
        file per letter, the same in the e-mail and in the e-invoice."""
        letters = self.sudo().timesheet_ids.client_approval_id.sorted("date_start")
        pdfs = letters._get_approved_pdfs()
        return self.env["ir.attachment"].union(*pdfs.values())

    def _get_client_approval_ubl_nodes(self, document_type):
        """What a Peppol (UBL) e-invoice carries of the clients' approval, as
        nodes of Odoo's UBL builder ({tag: node}): each approved letter's PDF
        as a supporting document (BT-122 to BT-125; when the company embeds
        them), the project when the invoice bills one (BT-11; an invoice, as
        a credit note has none), and the clients' references as the order
        reference when the invoice has no reference of its own."""
        self.ensure_one()
        timesheets = self.sudo().timesheet_ids
        letters = timesheets.client_approval_id.sorted("date_start")
        if not letters:
            return {}
        nodes = {}
        if self.company_id.client_approval_embed_letters:
            nodes["cac:AdditionalDocumentReference"] = [
                letter._get_ubl_document_node(pdf)
                for letter, pdf in letters._get_approved_pdfs().items()
            ]
        if document_type == "invoice" and len(timesheets.project_id) == 1:
            nodes["cac:ProjectReference"] = {
                "cbc:ID": {"_text": timesheets.project_id.name}
            }
        references = self._get_client_approval_references()
        if references and not self.ref:
            nodes["cac:OrderReference"] = {"cbc:ID": {"_text": ", ".join(references)}}
        return {tag: node for tag, node in nodes.items() if node}
